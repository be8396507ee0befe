using System.Net;
using static Tests.Api.ClassifyApiTests;

namespace Tests.Api;

/// <summary>
/// On a real socket, answers and problems go out in one piece with a Content-Length rather than chunked: chunked costs the
/// server a second send and the client a second read per request.
/// </summary>
public sealed class AnswerFramingTests(LiveServer server) : IClassFixture<LiveServer>
{
    [Theory]
    [InlineData("/v1/classify")]
    [InlineData("/v1/classify/compare")]
    [InlineData("/v1/classify/batch")]
    public async Task A_classification_answer_carries_its_length_and_is_not_chunked(string path)
    {
        using var client = new HttpClient { BaseAddress = server.BaseAddress };
        using MultipartFormDataContent form = Multipart(TestImages.DigitPng());

        using HttpResponseMessage response = await client.PostAsync(path, form);
        byte[] body = await response.Content.ReadAsByteArrayAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.NotEqual(true, response.Headers.TransferEncodingChunked);
        Assert.Equal(body.Length, response.Content.Headers.ContentLength);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
    }

    [Theory]
    [InlineData("/v1/classify?model=no-such-model")]
    [InlineData("/no-such-path")]
    public async Task A_problem_carries_its_length_and_is_not_chunked(string path)
    {
        using var client = new HttpClient { BaseAddress = server.BaseAddress };
        using MultipartFormDataContent form = Multipart(TestImages.DigitPng());

        using HttpResponseMessage response = await client.PostAsync(path, form);
        byte[] body = await response.Content.ReadAsByteArrayAsync();

        Assert.True((int)response.StatusCode is >= 400 and < 500, $"expected a client error, got {(int)response.StatusCode}");
        Assert.NotEqual(true, response.Headers.TransferEncodingChunked);
        Assert.Equal(body.Length, response.Content.Headers.ContentLength);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }
}
