using System.Buffers;
using System.Reflection;
using System.Text.Json;
using Api.Apis.InferenceProtocol;
using Api.Errors;
using Api.Hosting;
using Contracts.InferenceProtocol;
using Engine.Inference;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;

namespace Api.Apis;

/// <summary>
/// The Open Inference Protocol (KServe v2) REST endpoints under <c>/v2</c>: server and model metadata, health,
/// and inference on normalised FP32 images or encoded image files. Every image goes through the same model
/// batchers as <c>/v1/classify</c>, so both give the same probabilities.
/// </summary>
public static class InferenceProtocolApi
{
    public const string Tag = "Open Inference Protocol";

    /// <summary>The server's name in <c>GET /v2</c>.</summary>
    public const string ServerName = "handwritten-digits";

    private const int ChunkSize = 81_920;

    private static readonly JsonSerializerOptions RequestJson = new(JsonSerializerDefaults.Web);

    private static readonly string ServerVersion = ReadServerVersion();

    public static IEndpointRouteBuilder MapInferenceProtocolApi(this IEndpointRouteBuilder app)
    {
        RouteGroupBuilder api = app.MapGroup("/v2").WithTags(Tag);

        api.MapGet("", GetServerMetadata)
            .WithName("OipServerMetadata")
            .WithSummary("Server metadata")
            .WithDescription("The server's name, version and the protocol extensions it supports (none).");

        api.MapGet("/health/live", GetServerLive)
            .WithName("OipServerLive")
            .WithSummary("Server live")
            .WithDescription("200 `{\"live\": true}` whenever the process answers requests: a Kubernetes liveness probe.");

        api.MapGet("/health/ready", GetServerReady)
            .WithName("OipServerReady")
            .WithSummary("Server ready")
            .WithDescription("200 `{\"ready\": true}` when the models serve, with the same verdict as /health/ready (at least one model, " +
                             "or all of them with `Inference:RequireAllModels`); otherwise 503 `{\"ready\": false}`. A Kubernetes readiness probe.")
            .Produces<ServerReadyResponse>(StatusCodes.Status503ServiceUnavailable);

        const string modelDescription =
            "The model's versions (one, `1`), platform (`onnx_onnxv1`), inputs and outputs, and its activation, architecture, state, " +
            "backend and device under `properties`. A request gives one of the two inputs: `image`, FP32 `[N,1,28,28]`, white ink on black, " +
            "values in [0, 1]; or `image_bytes`, BYTES `[N]`, image files in base64. The outputs: `probabilities`, FP32 `[N,10]`, and " +
            "`digit`, INT64 `[N]`. 404 for an unknown model or version; 503 while the models load.";
        api.MapGet("/models/{name}", GetModelMetadata)
            .WithName("OipModelMetadata")
            .WithSummary("Model metadata")
            .WithDescription(modelDescription)
            .ProducesError(StatusCodes.Status404NotFound, StatusCodes.Status503ServiceUnavailable);
        api.MapGet("/models/{name}/versions/{version}", GetModelVersionMetadata)
            .WithName("OipModelVersionMetadata")
            .WithSummary("Model version metadata")
            .WithDescription(modelDescription)
            .ProducesError(StatusCodes.Status404NotFound, StatusCodes.Status503ServiceUnavailable);

        const string readyDescription =
            "200 `{\"name\": …, \"ready\": true}` when the model serves; 503 with `\"ready\": false` while it loads or after it failed " +
            "(GET /v1/models says why); 404 for an unknown model or version.";
        api.MapGet("/models/{name}/ready", GetModelReady)
            .WithName("OipModelReady")
            .WithSummary("Model ready")
            .WithDescription(readyDescription)
            .Produces<ModelReadyResponse>(StatusCodes.Status503ServiceUnavailable)
            .ProducesError(StatusCodes.Status404NotFound);
        api.MapGet("/models/{name}/versions/{version}/ready", GetModelVersionReady)
            .WithName("OipModelVersionReady")
            .WithSummary("Model version ready")
            .WithDescription(readyDescription)
            .Produces<ModelReadyResponse>(StatusCodes.Status503ServiceUnavailable)
            .ProducesError(StatusCodes.Status404NotFound);

        const string inferDescription =
            "One input, either `image`: FP32 `[N,1,28,28]`, the images as the networks see them (white ink on black, values in [0, 1], " +
            "`data` flat or nested); or `image_bytes`: BYTES `[N]`, each element an image file (PNG, JPEG, BMP, GIF, WebP) as a base64 " +
            "string (or `{\"b64\": \"…\"}`), found, centred and scaled as by POST /v1/classify. At most `Classification:MaxBatchImages` " +
            "images. The outputs `probabilities` (FP32 `[N,10]`) and `digit` (INT64 `[N]`), or those named in `outputs`; `id` is echoed.\n\n" +
            "Errors, as `{\"error\": \"…\"}`: 400 malformed request, unknown input or output, wrong datatype or shape, values out of range, " +
            "invalid base64, corrupt image; 404 unknown model or version; 413 body over `Classification:MaxRequestBytes` or an image " +
            "with too many pixels; 415 an unsupported image format; 422 an image with no digit; 503 models loading, the model not " +
            "serving, or its queue full (with `Retry-After`).";
        api.MapPost("/models/{name}/infer", Infer)
            .WithName("OipInfer")
            .WithSummary("Inference")
            .WithDescription(inferDescription)
            .WithInferenceRequestBody()
            .ProducesError(StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound, StatusCodes.Status413PayloadTooLarge,
                StatusCodes.Status415UnsupportedMediaType, StatusCodes.Status422UnprocessableEntity, StatusCodes.Status503ServiceUnavailable);
        api.MapPost("/models/{name}/versions/{version}/infer", InferVersion)
            .WithName("OipInferVersion")
            .WithSummary("Inference on a model version")
            .WithDescription(inferDescription)
            .WithInferenceRequestBody()
            .ProducesError(StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound, StatusCodes.Status413PayloadTooLarge,
                StatusCodes.Status415UnsupportedMediaType, StatusCodes.Status422UnprocessableEntity, StatusCodes.Status503ServiceUnavailable);

        return app;
    }

    public static Ok<ServerMetadataResponse> GetServerMetadata() =>
        TypedResults.Ok(new ServerMetadataResponse(ServerName, ServerVersion, []));

    public static Ok<ServerLiveResponse> GetServerLive() => TypedResults.Ok(new ServerLiveResponse(true));

    public static async Task<Results<Ok<ServerReadyResponse>, JsonHttpResult<ServerReadyResponse>>> GetServerReady(
        ModelStore store, IOptions<InferenceOptions> options, CancellationToken cancellationToken)
    {
        // The very check behind /health/ready, so that both probes agree.
        HealthCheckResult health = await new ModelsHealthCheck(store, options).CheckHealthAsync(new HealthCheckContext(), cancellationToken);
        return health.Status == HealthStatus.Unhealthy
            ? TypedResults.Json(new ServerReadyResponse(false), statusCode: StatusCodes.Status503ServiceUnavailable)
            : TypedResults.Ok(new ServerReadyResponse(true));
    }

    public static Results<Ok<ModelMetadataResponse>, JsonHttpResult<ErrorResponse>> GetModelMetadata(string name, ModelStore store) =>
        ModelMetadata(store, name, null);

    public static Results<Ok<ModelMetadataResponse>, JsonHttpResult<ErrorResponse>> GetModelVersionMetadata(string name, string version, ModelStore store) =>
        ModelMetadata(store, name, version);

    public static Results<Ok<ModelReadyResponse>, JsonHttpResult<ModelReadyResponse>, JsonHttpResult<ErrorResponse>> GetModelReady(string name, ModelStore store) =>
        ModelReady(store, name, null);

    public static Results<Ok<ModelReadyResponse>, JsonHttpResult<ModelReadyResponse>, JsonHttpResult<ErrorResponse>> GetModelVersionReady(
        string name, string version, ModelStore store) =>
        ModelReady(store, name, version);

    public static Task<Results<OkWithLength<InferenceResponse>, JsonHttpResult<ErrorResponse>>> Infer(
        string name, HttpContext context, ModelStore store, DigitClassifier classifier, IOptions<ClassificationOptions> options, CancellationToken cancellationToken) =>
        InferAsync(context, store, classifier, options.Value, name, null, cancellationToken);

    public static Task<Results<OkWithLength<InferenceResponse>, JsonHttpResult<ErrorResponse>>> InferVersion(
        string name, string version, HttpContext context, ModelStore store, DigitClassifier classifier, IOptions<ClassificationOptions> options,
        CancellationToken cancellationToken) =>
        InferAsync(context, store, classifier, options.Value, name, version, cancellationToken);

    private static Results<Ok<ModelMetadataResponse>, JsonHttpResult<ErrorResponse>> ModelMetadata(ModelStore store, string name, string? version)
    {
        if (Find(store, name, version, out ModelEntry? entry) is { } error)
        {
            return error.ToResult();
        }
        var properties = new Dictionary<string, string> { ["state"] = entry.State.ToString().ToLowerInvariant() };
        if (entry.Card is { } card)
        {
            properties["activation"] = card.Activation;
            properties["architecture"] = card.Architecture;
        }
        if (entry.Model is { } model)
        {
            properties["backend"] = model.Backend.Name;
            properties["device"] = model.Backend.Device;
        }
        return TypedResults.Ok(new ModelMetadataResponse(
            entry.Name, store.Catalog.VersionsOf(entry.Name).Select(v => v.Version).ToArray(), DigitTensors.Platform, DigitTensors.Inputs, DigitTensors.Outputs, properties));
    }

    private static Results<Ok<ModelReadyResponse>, JsonHttpResult<ModelReadyResponse>, JsonHttpResult<ErrorResponse>> ModelReady(
        ModelStore store, string name, string? version)
    {
        if (Find(store, name, version, out ModelEntry? entry) is { } error)
        {
            return error.ToResult();
        }
        return entry.Model is not null
            ? TypedResults.Ok(new ModelReadyResponse(entry.Name, true))
            : TypedResults.Json(new ModelReadyResponse(entry.Name, false), statusCode: StatusCodes.Status503ServiceUnavailable);
    }

    private static async Task<Results<OkWithLength<InferenceResponse>, JsonHttpResult<ErrorResponse>>> InferAsync(
        HttpContext context, ModelStore store, DigitClassifier classifier, ClassificationOptions options, string name, string? version,
        CancellationToken cancellationToken)
    {
        if (Find(store, name, version, out ModelEntry? entry) is { } findError)
        {
            return Fail(context, findError);
        }
        if (entry.Model is not { } model)
        {
            return Fail(context, ProtocolError.From(DigitClassifier.Problem(store.Catalog.Select(entry.Name, null))));
        }

        (InferenceRequest? request, ProtocolError? readError) = await ReadRequestAsync(context.Request, options.MaxRequestBytes, cancellationToken);
        if (readError is not null)
        {
            return Fail(context, readError);
        }
        if (request!.Inputs is not [{ } input])
        {
            return Fail(context, ProtocolError.BadRequest(
                $"A request gives exactly one input: '{DigitTensors.ImageInput}' (FP32 [N,1,28,28]) or '{DigitTensors.ImageBytesInput}' (BYTES [N]); " +
                $"it gave {request.Inputs?.Count ?? 0}."));
        }
        (IReadOnlyList<string> outputs, ProtocolError? outputError) = RequestedOutputs(request.Outputs);
        if (outputError is not null)
        {
            return Fail(context, outputError);
        }
        InferenceInput images = InferenceInput.Read(input, options.MaxBatchImages);
        if (images.Error is { } inputError)
        {
            return Fail(context, inputError);
        }

        if (!model.Batcher.TryAdmit(images.Count, out DynamicBatcher.Admission admission))
        {
            context.Response.Headers.RetryAfter = DigitClassifier.RetryAfterSeconds;
            return Fail(context, ProtocolError.From(DigitClassifier.QueueFull(model.Name)));
        }
        using DynamicBatcher.Admission admitted = admission;

        // Every image is queued before any is awaited, so the images of one request can share batches.
        var pending = new Task<ModelAnswer>[images.Count];
        for (int i = 0; i < images.Images.Count; i++)
        {
            pending[i] = classifier.InferAsync(model, images.Images[i], cancellationToken);
        }
        for (int i = 0; i < images.EncodedImages.Count; i++)
        {
            try
            {
                pending[i] = classifier.InferAsync(model, classifier.Preprocess(images.EncodedImages[i], cancellationToken), cancellationToken);
            }
            catch (Exception exception) when (EngineExceptionHandler.ForImage(exception) is { } imageProblem)
            {
                // The images already queued run anyway; their answers are dropped with the request.
                return Fail(context, ProtocolError.From(imageProblem, $"Image {i} of '{input.Name}': "));
            }
        }
        ModelAnswer[] answers = await Task.WhenAll(pending);
        if (answers.FirstOrDefault(a => a.Problem is not null) is { Problem: { } problem })
        {
            DigitClassifier.AddRetryAfter(context.Response, problem);
            return Fail(context, ProtocolError.From(problem));
        }

        return OkWithLength.Of(new InferenceResponse(model.Name, model.Version, outputs.Select(o => Output(o, answers)).ToArray(), request.Id));
    }

    private static ResponseOutput Output(string name, ModelAnswer[] answers)
    {
        if (name == DigitTensors.DigitOutput)
        {
            return new ResponseOutput(name, [answers.Length], DigitTensors.Int64, answers.Select(a => (long)a.Digit).ToArray());
        }
        var probabilities = new float[answers.Length * DigitModel.Classes];
        for (int i = 0; i < answers.Length; i++)
        {
            answers[i].Probabilities.CopyTo(probabilities, i * DigitModel.Classes);
        }
        return new ResponseOutput(name, [answers.Length, DigitModel.Classes], DigitTensors.Fp32, probabilities);
    }

    private static (IReadOnlyList<string> Outputs, ProtocolError? Error) RequestedOutputs(IReadOnlyList<RequestOutput>? requested)
    {
        if (requested is null || requested.Count == 0)
        {
            return (DigitTensors.Outputs.Select(o => o.Name).ToArray(), null);
        }
        var names = new List<string>(requested.Count);
        foreach (RequestOutput output in requested)
        {
            if (!DigitTensors.Outputs.Any(o => o.Name == output.Name))
            {
                return ([], ProtocolError.BadRequest(
                    $"The model has no output '{output.Name}'. Outputs: '{DigitTensors.ProbabilitiesOutput}' (FP32 [N,10]) and '{DigitTensors.DigitOutput}' (INT64 [N])."));
            }
            if (names.Contains(output.Name!))
            {
                return ([], ProtocolError.BadRequest($"The output '{output.Name}' is requested twice."));
            }
            names.Add(output.Name!);
        }
        return (names, null);
    }

    // The model entry a path names, whatever its state, or the 404/503 that answers instead.
    private static ProtocolError? Find(ModelStore store, string name, string? version, out ModelEntry entry)
    {
        entry = null!;
        ModelCatalog catalog = store.Catalog;
        if (!catalog.TryGetEntry(name, out ModelEntry? found))
        {
            return store.Loaded
                ? ProtocolError.From(ProblemTypes.ModelNotFound,
                    $"There is no model named '{name}'. Models: {string.Join(", ", catalog.Entries.Select(e => e.Name))}.")
                : ProtocolError.From(ProblemTypes.ModelsLoading, "The models are loading; retry in a few seconds.");
        }
        if (version is not null)
        {
            if (!catalog.TryGetEntry(name, version, out ModelEntry? versioned))
            {
                return ProtocolError.From(ProblemTypes.ModelNotFound,
                    $"The model '{found.Name}' has no version '{version}'. Versions: {string.Join(", ", catalog.VersionsOf(found.Name).Select(v => v.Version))}.");
            }
            found = versioned;
        }
        entry = found;
        return null;
    }

    private static async Task<(InferenceRequest? Request, ProtocolError? Error)> ReadRequestAsync(
        HttpRequest httpRequest, long maxBytes, CancellationToken cancellationToken)
    {
        ProtocolError tooLarge = ProtocolError.From(ProblemTypes.RequestTooLarge, $"The request body is larger than the {maxBytes:N0}-byte limit.");
        if (httpRequest.ContentLength > maxBytes)
        {
            return (null, tooLarge);
        }
        using var body = new MemoryStream();
        byte[] chunk = ArrayPool<byte>.Shared.Rent(ChunkSize);
        try
        {
            int read;
            while ((read = await httpRequest.Body.ReadAsync(chunk, cancellationToken)) > 0)
            {
                if (body.Length + read > maxBytes)
                {
                    return (null, tooLarge);
                }
                body.Write(chunk, 0, read);
            }
        }
        catch (BadHttpRequestException exception) when (exception.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return (null, tooLarge);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }

        if (body.Length == 0)
        {
            return (null, ProtocolError.BadRequest("The request body is empty: send an inference request, a JSON object with 'inputs'."));
        }
        try
        {
            InferenceRequest? request = JsonSerializer.Deserialize<InferenceRequest>(body.GetBuffer().AsSpan(0, (int)body.Length), RequestJson);
            return request is null
                ? (null, ProtocolError.BadRequest("The request body is null: send an inference request, a JSON object with 'inputs'."))
                : (request, null);
        }
        catch (JsonException exception)
        {
            return (null, ProtocolError.BadRequest($"The request body is not an inference request: {exception.Message}"));
        }
    }

    private static JsonHttpResult<ErrorResponse> Fail(HttpContext context, ProtocolError error)
    {
        if (error.Status == StatusCodes.Status503ServiceUnavailable && !context.Response.Headers.ContainsKey("Retry-After"))
        {
            context.Response.Headers.RetryAfter = DigitClassifier.RetryAfterSeconds;
        }
        return error.ToResult();
    }

    // Described by hand rather than with Accepts<T>(): that would make routing refuse other content types with a
    // bare 415, and protocol clients often post JSON without one (curl -d sends a form type).
    private static RouteHandlerBuilder WithInferenceRequestBody(this RouteHandlerBuilder builder) =>
        builder.AddOpenApiOperationTransformer(async (operation, context, cancellationToken) =>
        {
            operation.RequestBody = new OpenApiRequestBody
            {
                Required = true,
                Description = "An inference request. The body is read as JSON whatever its Content-Type.",
                Content = new Dictionary<string, OpenApiMediaType>
                {
                    ["application/json"] = new() { Schema = await context.GetOrCreateSchemaAsync(typeof(InferenceRequest), null, cancellationToken) },
                },
            };
        });

    private static RouteHandlerBuilder ProducesError(this RouteHandlerBuilder builder, params int[] statusCodes)
    {
        foreach (int statusCode in statusCodes)
        {
            builder.Produces<ErrorResponse>(statusCode);
        }
        return builder;
    }

    private static string ReadServerVersion()
    {
        string? version = typeof(InferenceProtocolApi).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;
        // The build appends "+<commit>"; the version alone is what clients compare.
        return version?.Split('+')[0] ?? "1.0.0";
    }
}
