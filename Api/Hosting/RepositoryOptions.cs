using System.ComponentModel.DataAnnotations;

namespace Api.Hosting;

/// <summary>The model repository's admin endpoints; bound from the <c>Repository</c> configuration section.</summary>
public sealed class RepositoryOptions
{
    /// <summary>The configuration section these options are bound from.</summary>
    public const string SectionName = "Repository";

    /// <summary>
    /// The key that callers of <c>/v2/repository/…</c> present as <c>Authorization: Bearer &lt;key&gt;</c> or
    /// <c>X-Api-Key: &lt;key&gt;</c>. Unset (the default), the endpoints are not mapped at all. At least 16 characters.
    /// </summary>
    [MinLength(16, ErrorMessage = "Repository:AdminApiKey must be at least 16 characters long; generate one, e.g. with `openssl rand -hex 32`.")]
    public string? AdminApiKey { get; set; }

    /// <summary>Whether a key is configured, so that the admin endpoints are mapped.</summary>
    public bool Enabled => !string.IsNullOrEmpty(AdminApiKey);
}
