using System.Buffers;
using System.ComponentModel.DataAnnotations;
using System.Text.Json;
using Api.Apis.InferenceProtocol;
using Api.Errors;
using Api.Hosting;
using Contracts.InferenceProtocol;
using Engine.Inference;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;

namespace Api.Apis;

/// <summary>
/// The model repository admin endpoints under <c>/v2/repository</c>, in the form of Triton's model repository
/// extension: list the models of the models folder with their states, load (or load again) a model, unload one.
/// Mapped only when <c>Repository:AdminApiKey</c> is set, and every call must present that key.
/// </summary>
/// <remarks>
/// States, ours → Triton's: ready → <c>READY</c>; loading → <c>LOADING</c>; failed and unloaded → <c>UNAVAILABLE</c>,
/// with the reason.
/// </remarks>
public static class RepositoryApi
{
    public const string Tag = "Model repository";

    /// <summary>Triton's state of a version that serves.</summary>
    public const string Ready = "READY";

    /// <summary>Triton's state of a version that does not serve: it failed, or an operator unloaded it.</summary>
    public const string Unavailable = "UNAVAILABLE";

    /// <summary>Triton's state of a version found but not loaded yet.</summary>
    public const string Loading = "LOADING";

    // An index request is at most {"ready": true}; anything far larger is not one.
    private const int MaxIndexRequestBytes = 4096;

    private static readonly JsonSerializerOptions RequestJson = new(JsonSerializerDefaults.Web);

    public static IEndpointRouteBuilder MapRepositoryApi(this IEndpointRouteBuilder app)
    {
        RepositoryOptions options = ReadOptions(app.ServiceProvider.GetRequiredService<IConfiguration>());
        if (!options.Enabled)
        {
            // Without a key there is no way to call them safely, so they do not exist.
            return app;
        }

        RouteGroupBuilder api = app.MapGroup("/v2/repository")
            .WithTags(Tag)
            .AddEndpointFilter(new AdminApiKeyFilter(options.AdminApiKey!))
            .ProducesError(StatusCodes.Status401Unauthorized, StatusCodes.Status403Forbidden);

        api.MapPost("/index", Index)
            .WithName("RepositoryIndex")
            .WithSummary("Model repository index")
            .WithDescription(
                "Every version of every model of the models folder: `name`, `version`, `state` and `reason`. States: `READY` (it serves), " +
                "`LOADING` (found, not loaded yet), `UNAVAILABLE` (it failed to load, or an operator unloaded it; `reason` says which). A `READY` " +
                "version with a `reason` serves while a newer copy of its files failed to load. The body is optional: `{\"ready\": true}` lists only " +
                "the versions that serve.\n\nNeeds the admin key (`Repository:AdminApiKey`) as `Authorization: Bearer <key>` or `X-Api-Key: <key>`: " +
                "401 without one, 403 with a wrong one.")
            .WithIndexRequestBody()
            .ProducesError(StatusCodes.Status400BadRequest, StatusCodes.Status413PayloadTooLarge);

        api.MapPost("/models/{name}/load", Load)
            .WithName("RepositoryModelLoad")
            .WithSummary("Load a model")
            .WithDescription(
                "Loads every version of the model `name` from the models folder now, again if it already serves (e.g. after its files were " +
                "replaced), and serves it again if an operator unloaded it. A new copy replaces the serving one only once it passes its checks; " +
                "requests already running finish on the copy they started on. 200 `{}` when every version serves after; 400 `{\"error\": …}` " +
                "with the reason when one does not (a version that served before keeps serving); 404 when the folder holds no such model.\n\n" +
                "Needs the admin key, as POST /v2/repository/index.")
            .ProducesError(StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound);

        api.MapPost("/models/{name}/unload", Unload)
            .WithName("RepositoryModelUnload")
            .WithSummary("Unload a model")
            .WithDescription(
                "Stops serving every version of the model `name` until it is loaded again (POST …/load; a restart also loads it again): new " +
                "requests for it get 503, requests already running finish first, then its backend is released. 200 `{}` once it is released; " +
                "404 for an unknown model.\n\nNeeds the admin key, as POST /v2/repository/index.")
            .ProducesError(StatusCodes.Status404NotFound, StatusCodes.Status503ServiceUnavailable);

        return app;
    }

    public static async Task<Results<Ok<RepositoryIndexEntry[]>, JsonHttpResult<ErrorResponse>>> Index(
        HttpRequest request, ModelStore store, CancellationToken cancellationToken)
    {
        (RepositoryIndexRequest? body, ProtocolError? error) = await ReadIndexRequestAsync(request, cancellationToken);
        if (error is not null)
        {
            return error.ToResult();
        }
        bool readyOnly = body?.Ready == true;
        return TypedResults.Ok(store.Catalog.Entries
            .Where(e => !readyOnly || e.Model is not null)
            .Select(ToIndexEntry)
            .ToArray());
    }

    public static async Task<Results<Ok<RepositoryActionResponse>, JsonHttpResult<ErrorResponse>>> Load(string name, ModelRepositoryService repository)
    {
        // Not cancelled with the request: a load half done would leave the operator's intent applied at some later refresh.
        ModelCatalog catalog = await repository.LoadAsync(name, CancellationToken.None);
        IReadOnlyList<ModelEntry> versions = catalog.VersionsOf(name);
        if (versions.Count == 0)
        {
            return ProtocolError.From(ProblemTypes.ModelNotFound,
                $"The models folder holds no model named '{name}'. Models: {string.Join(", ", catalog.Entries.Select(e => e.Name).Distinct())}.").ToResult();
        }
        ModelEntry[] failing = versions.Where(v => v.Model is null || v.Reason is not null).ToArray();
        if (failing.Length > 0)
        {
            return ProtocolError.BadRequest(
                $"The model '{versions[0].Name}' did not load: " + string.Join(" ", failing.Select(v => $"Version {v.Version}: {v.Reason ?? v.State.ToString().ToLowerInvariant()}"))).ToResult();
        }
        return TypedResults.Ok(new RepositoryActionResponse());
    }

    public static async Task<Results<Ok<RepositoryActionResponse>, JsonHttpResult<ErrorResponse>>> Unload(
        string name, ModelStore store, ModelRepositoryService repository)
    {
        if (!store.Loaded)
        {
            return ProtocolError.From(ProblemTypes.ModelsLoading, "The models are loading; retry in a few seconds.").ToResult();
        }
        if (!store.Catalog.TryGetEntry(name, out _))
        {
            return ProtocolError.From(ProblemTypes.ModelNotFound,
                $"There is no model named '{name}'. Models: {string.Join(", ", store.Catalog.Entries.Select(e => e.Name).Distinct())}.").ToResult();
        }
        // Completes once the requests that were using the model have finished and its backend is released.
        await repository.UnloadAsync(name, CancellationToken.None);
        return TypedResults.Ok(new RepositoryActionResponse());
    }

    private static RepositoryIndexEntry ToIndexEntry(ModelEntry entry) => new(
        entry.Name,
        entry.Version,
        entry.State switch
        {
            ModelState.Ready => Ready,
            ModelState.Loading => Loading,
            _ => Unavailable,
        },
        entry.Reason);

    private static RepositoryOptions ReadOptions(IConfiguration configuration)
    {
        var options = new RepositoryOptions();
        configuration.GetSection(RepositoryOptions.SectionName).Bind(options);
        // Checked here, when the routes are mapped at start, so that a bad key stops the service before it serves.
        var failures = new List<ValidationResult>();
        if (!Validator.TryValidateObject(options, new ValidationContext(options), failures, validateAllProperties: true))
        {
            throw new OptionsValidationException(RepositoryOptions.SectionName, typeof(RepositoryOptions),
                failures.Select(f => f.ErrorMessage ?? "invalid"));
        }
        return options;
    }

    private static async Task<(RepositoryIndexRequest? Request, ProtocolError? Error)> ReadIndexRequestAsync(
        HttpRequest request, CancellationToken cancellationToken)
    {
        ProtocolError tooLarge = ProtocolError.From(ProblemTypes.RequestTooLarge,
            $"An index request is at most {MaxIndexRequestBytes:N0} bytes: {{\"ready\": true}} or nothing.");
        if (request.ContentLength > MaxIndexRequestBytes)
        {
            return (null, tooLarge);
        }
        byte[] buffer = ArrayPool<byte>.Shared.Rent(MaxIndexRequestBytes + 1);
        try
        {
            int length = 0;
            int read;
            while ((read = await request.Body.ReadAsync(buffer.AsMemory(length, MaxIndexRequestBytes + 1 - length), cancellationToken)) > 0)
            {
                length += read;
                if (length > MaxIndexRequestBytes)
                {
                    return (null, tooLarge);
                }
            }
            if (buffer.AsSpan(0, length).Trim(" \t\r\n"u8).IsEmpty)
            {
                return (null, null);
            }
            try
            {
                return (JsonSerializer.Deserialize<RepositoryIndexRequest>(buffer.AsSpan(0, length), RequestJson), null);
            }
            catch (JsonException exception)
            {
                return (null, ProtocolError.BadRequest($"The request body is not an index request ({{\"ready\": true}} or nothing): {exception.Message}"));
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    // Described by hand: the body is optional and read as JSON whatever its Content-Type (curl -d sends a form type).
    private static RouteHandlerBuilder WithIndexRequestBody(this RouteHandlerBuilder builder) =>
        builder.AddOpenApiOperationTransformer(async (operation, context, cancellationToken) =>
        {
            operation.RequestBody = new OpenApiRequestBody
            {
                Required = false,
                Description = "Optional. `{\"ready\": true}` lists only the versions that serve.",
                Content = new Dictionary<string, OpenApiMediaType>
                {
                    ["application/json"] = new() { Schema = await context.GetOrCreateSchemaAsync(typeof(RepositoryIndexRequest), null, cancellationToken) },
                },
            };
        });

    private static TBuilder ProducesError<TBuilder>(this TBuilder builder, params int[] statusCodes)
        where TBuilder : IEndpointConventionBuilder
    {
        foreach (int statusCode in statusCodes)
        {
            builder.WithMetadata(new ProducesResponseTypeMetadata(statusCode, typeof(ErrorResponse), ["application/json"]));
        }
        return builder;
    }
}
