using System.Net;
using static Tests.Api.ClassifyApiTests;

namespace Tests.Api;

/// <summary>
/// On a real socket, answers and problems go out in one piece with a Content-Length rather than chunked: chunked costs
/// the server a second send and the client a second read per request.
/// </summary>
public sealed class AnswerFramingTests(LiveServer server) : IClassFixture<LiveServer>
{
    [Theory]
    [InlineData("/v1/classify")]
    [InlineData("/v1/classify/compare")]
    [InlineData("/v1/classify/batch")]
    public async Task A_classification_answer_carries_its_length_and_is_not_chunked(string path)
    {
        HttpStatusCode status = await AssertSentWithLengthAsync(path, "application/json");

        Assert.Equal(HttpStatusCode.OK, status);
    }

    [Theory]
    [InlineData("/v1/classify?model=no-such-model")]
    [InlineData("/no-such-path")]
    public async Task A_problem_carries_its_length_and_is_not_chunked(string path)
    {
        HttpStatusCode status = await AssertSentWithLengthAsync(path, "application/problem+json");

        Assert.True((int)status is >= 400 and < 500, $"expected a client error, got {(int)status}");
    }

    // Posts a digit to path and checks the framing of whatever comes back; returns its status for the caller to judge.
    private async Task<HttpStatusCode> AssertSentWithLengthAsync(string path, string mediaType)
    {
        using var client = new HttpClient { BaseAddress = server.BaseAddress };
        using MultipartFormDataContent form = Multipart(TestImages.DigitPng());

        using HttpResponseMessage response = await client.PostAsync(path, form);
        byte[] body = await response.Content.ReadAsByteArrayAsync();

        Assert.NotEqual(true, response.Headers.TransferEncodingChunked);
        Assert.Equal(body.Length, response.Content.Headers.ContentLength);
        Assert.Equal(mediaType, response.Content.Headers.ContentType?.MediaType);
        return response.StatusCode;
    }
}
