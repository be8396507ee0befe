using Api.Errors;
using Contracts.InferenceProtocol;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Api.Apis.InferenceProtocol;

/// <summary>A failure in the Open Inference Protocol's form: an HTTP status and a <c>{"error": "…"}</c> body.</summary>
public sealed record ProtocolError(int Status, string Message)
{
    /// <summary>A 400 for a request the protocol or the model cannot take.</summary>
    public static ProtocolError BadRequest(string message) => new(StatusCodes.Status400BadRequest, message);

    /// <summary>The same status and detail as the service's problem <paramref name="problem"/>, with <paramref name="prefix"/> before the detail.</summary>
    public static ProtocolError From(ProblemDetails problem, string prefix = "") =>
        new(problem.Status ?? StatusCodes.Status400BadRequest, prefix + (problem.Detail ?? problem.Title ?? "The request failed."));

    /// <summary>The same status and detail as a problem of <paramref name="type"/>.</summary>
    public static ProtocolError From(ProblemType type, string detail) => new(type.Status, detail);

    /// <summary>The response.</summary>
    public JsonHttpResult<ErrorResponse> ToResult() => TypedResults.Json(new ErrorResponse(Message), statusCode: Status);
}
