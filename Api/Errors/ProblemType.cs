using Microsoft.AspNetCore.Mvc;

namespace Api.Errors;

/// <summary>
/// One kind of failure the API reports: a stable <c>type</c> URI, a fixed <c>title</c> and an HTTP status.
/// Clients branch on <see cref="Type"/>; the per-request <c>detail</c> says what exactly went wrong.
/// </summary>
public sealed record ProblemType(string Slug, int Status, string Title)
{
    // A URN rather than an http(s) URL: the identifier must stay stable and should not pretend to be a page.
    private const string Prefix = "urn:digits:problem:";

    /// <summary>The RFC 9457 <c>type</c> member.</summary>
    public string Type => Prefix + Slug;

    /// <summary>A ProblemDetails of this type with <paramref name="detail"/>.</summary>
    public ProblemDetails With(string detail) => new()
    {
        Type = Type,
        Title = Title,
        Status = Status,
        Detail = detail,
    };
}
