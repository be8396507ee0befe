using System.ComponentModel;
using System.Diagnostics;
using System.Numerics.Tensors;
using Api.Errors;
using Api.Hosting;
using Contracts;
using Engine.Activations;
using Engine.Imaging;
using Engine.Inference;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using Microsoft.OpenApi;

namespace Api.Apis;

/// <summary><c>POST /v1/classify</c>: which digit an image shows.</summary>
public static partial class ClassifyApi
{
    public static IEndpointRouteBuilder MapClassifyApi(this IEndpointRouteBuilder app)
    {
        RouteGroupBuilder api = app.MapGroup("/v1/classify")
            .WithTags("Classification")
            .AddEndpointFilter<ModelsServingFilter>()
            // The bodies are read by hand (multipart or raw), so no form binding, and no antiforgery token is expected.
            .DisableAntiforgery();

        api.MapPost("", Classify)
            .WithName("Classify")
            .WithSummary("Classify a handwritten digit")
            .WithDescription(
                "Send the image either as the file field `image` of a `multipart/form-data` form, or as the raw request body " +
                "with `Content-Type: image/png` (or image/jpeg, image/bmp, image/gif, image/webp, application/octet-stream). " +
                "The digit is found, centred and scaled to 28×28 like MNIST, then classified. Without `activation` or `model`, " +
                "the `enhanced` model with the best validation accuracy answers; with `activation`, that activation's `enhanced` model.\n\n" +
                "Errors: 400 empty body, missing `image` field, corrupt image, unknown activation or model; " +
                "413 body over `Classification:MaxRequestBytes` or image over `Classification:MaxPixels` pixels; " +
                "415 unsupported content type or image format; 422 no digit in the image (e.g. blank); 503 models not loaded yet, " +
                "the model does not serve, or its queue is full (with `Retry-After`).")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable)
            .WithRequestBody(ImageRequestBody)
            .WithResponseExample(StatusCodes.Status200OK, ExampleResult)
            .WithResponseExample(StatusCodes.Status400BadRequest, ExampleUnknownActivation, "application/problem+json")
            .WithResponseExample(StatusCodes.Status413PayloadTooLarge,
                ProblemTypes.ImageTooManyPixels.With("The image declares 100000×100000 = 10000000000 pixels; the limit is 16777216."),
                "application/problem+json")
            .WithResponseExample(StatusCodes.Status415UnsupportedMediaType,
                ProblemTypes.ImageFormatUnsupported.With("The upload is not a supported image format. Accepted formats: PNG, JPEG, BMP, GIF, WebP."),
                "application/problem+json")
            .WithResponseExample(StatusCodes.Status503ServiceUnavailable,
                ProblemTypes.ModelsLoading.With("The models are still loading; try again in a few seconds."),
                "application/problem+json")
            .WithResponseExample(StatusCodes.Status422UnprocessableEntity,
                ProblemTypes.DigitNotFound.With("The image contains no visible digit: it is blank or its contrast is too low to find any ink."),
                "application/problem+json");

        api.MapPost("/compare", Compare)
            .WithName("CompareActivations")
            .WithSummary("Classify one image with every activation")
            .WithDescription(
                "The image (sent as for POST /v1/classify) is preprocessed once and classified by every activation's model of one " +
                "architecture (`enhanced` by default, or `?architecture=baseline`). For each activation: the digit, its confidence, the " +
                "ten probabilities, the model, its backend and time; then the majority digit and how many models agree with it, and " +
                "the 28×28 image the networks saw.")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable)
            .WithRequestBody(ImageRequestBody);

        api.MapPost("/batch", ClassifyBatch)
            .WithName("ClassifyBatch")
            .WithSummary("Classify several images")
            .WithDescription(
                "A `multipart/form-data` form with up to `Classification:MaxBatchImages` file fields named `image`. The answer has one " +
                "item per image, in order: a classification, or a problem (the same `type`, `title` and `status` the image would get " +
                "alone) when that image is corrupt, blank or refused. Only request-level errors (no image, too many, body too large, " +
                "unknown model) fail the whole request.")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable)
            .WithRequestBody(BatchRequestBody);

        return app;
    }

    public static async Task<Results<OkWithLength<ClassificationResult>, ProblemHttpResult>> Classify(
        HttpContext context,
        [FromQuery, Description("The activation function whose `enhanced` model should answer, e.g. `relu_softsign`. See GET /v1/activations.")]
        string? activation,
        [FromQuery, Description("The exact model to use, e.g. `baseline-relu` or `enhanced-elu`. See GET /v1/models.")]
        string? model,
        ModelStore store,
        DigitClassifier classifier,
        IOptions<ClassificationOptions> options,
        ILogger<DigitClassifier> logger,
        CancellationToken cancellationToken)
    {
        ModelSelection selection = store.Catalog.Select(model, activation);
        if (selection.Model is not { } chosen)
        {
            return Problem(context, DigitClassifier.Problem(selection));
        }
        DigitClassifier.TagRequest(context, chosen);
        if (!chosen.Batcher.TryAdmit(1, out DynamicBatcher.Admission admission))
        {
            return Problem(context, DigitClassifier.QueueFull(chosen.Name));
        }
        using DynamicBatcher.Admission admitted = admission;

        ImageUpload upload = await ImageUpload.ReadAsync(context.Request, options.Value.MaxRequestBytes, cancellationToken);
        if (upload.Problem is { } uploadProblem)
        {
            return TypedResults.Problem(uploadProblem);
        }

        long started = Stopwatch.GetTimestamp();
        float[] image = classifier.Preprocess(upload.Bytes.Span, cancellationToken);
        ModelAnswer answer = await classifier.InferAsync(chosen, image, cancellationToken);
        if (answer.Problem is { } inferenceProblem)
        {
            return Problem(context, inferenceProblem);
        }
        double elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        LogClassified(logger, chosen.Name, chosen.Backend.Name, elapsed);
        return OkWithLength.Of(DigitClassifier.ToResult(answer, elapsed));
    }

    public static async Task<Results<OkWithLength<ComparisonResult>, ProblemHttpResult>> Compare(
        HttpContext context,
        [FromQuery, Description("The architecture whose models are compared: `enhanced` (the default) or `baseline`.")]
        string? architecture,
        ModelStore store,
        DigitClassifier classifier,
        IOptions<ClassificationOptions> options,
        CancellationToken cancellationToken)
    {
        ModelCatalog catalog = store.Catalog;
        string chosenArchitecture = string.IsNullOrEmpty(architecture) ? ModelCatalog.ServedArchitecture : architecture;
        IReadOnlyList<DigitModel> models = catalog.ByArchitecture(chosenArchitecture);
        if (models.Count == 0)
        {
            return Problem(context, ProblemTypes.ArchitectureUnknown.With(
                $"No serving model has the architecture '{chosenArchitecture}'. Architectures with serving models: {string.Join(", ", catalog.Architectures)}."));
        }

        var admissions = new List<DynamicBatcher.Admission>(models.Count);
        try
        {
            foreach (DigitModel candidate in models)
            {
                if (!candidate.Batcher.TryAdmit(1, out DynamicBatcher.Admission admission))
                {
                    return Problem(context, DigitClassifier.QueueFull(candidate.Name));
                }
                admissions.Add(admission);
            }
            return await CompareAdmittedAsync(context, chosenArchitecture, models, classifier, options.Value, cancellationToken);
        }
        finally
        {
            admissions.ForEach(a => a.Dispose());
        }
    }

    private static async Task<Results<OkWithLength<ComparisonResult>, ProblemHttpResult>> CompareAdmittedAsync(
        HttpContext context, string chosenArchitecture, IReadOnlyList<DigitModel> models, DigitClassifier classifier,
        ClassificationOptions options, CancellationToken cancellationToken)
    {
        ImageUpload upload = await ImageUpload.ReadAsync(context.Request, options.MaxRequestBytes, cancellationToken);
        if (upload.Problem is { } uploadProblem)
        {
            return TypedResults.Problem(uploadProblem);
        }

        long started = Stopwatch.GetTimestamp();
        float[] image = classifier.Preprocess(upload.Bytes.Span, cancellationToken);
        ModelAnswer[] answers = await Task.WhenAll(models.Select(m => classifier.InferAsync(m, image, cancellationToken)));
        if (answers.FirstOrDefault(a => a.Problem is not null) is { Problem: { } inferenceProblem })
        {
            return Problem(context, inferenceProblem);
        }

        // The majority digit; a tie goes to the digit with the larger summed confidence.
        int majority = answers
            .GroupBy(a => a.Digit)
            .OrderByDescending(g => g.Count())
            .ThenByDescending(g => g.Sum(a => a.Probabilities[a.Digit]))
            .First().Key;
        ActivationVerdict[] verdicts = answers
            .Select(a => new ActivationVerdict(a.Model.Card.Activation, a.Digit, a.Probabilities[a.Digit], a.Probabilities,
                a.Model.Name, a.Model.Backend.Name, a.Digit == majority, Math.Round(a.Milliseconds, 3)))
            .ToArray();
        double elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        return OkWithLength.Of(new ComparisonResult(
            chosenArchitecture, majority, verdicts.Count(v => v.AgreesWithMajority), verdicts.Length, verdicts, image, Math.Round(elapsed, 3)));
    }

    public static async Task<Results<OkWithLength<BatchClassificationResult>, ProblemHttpResult>> ClassifyBatch(
        HttpContext context,
        [FromQuery, Description("The activation function whose `enhanced` model should answer, e.g. `relu_softsign`.")]
        string? activation,
        [FromQuery, Description("The exact model to use, e.g. `baseline-relu`.")]
        string? model,
        ModelStore store,
        DigitClassifier classifier,
        IOptions<ClassificationOptions> options,
        CancellationToken cancellationToken)
    {
        ModelSelection selection = store.Catalog.Select(model, activation);
        if (selection.Model is not { } chosen)
        {
            return Problem(context, DigitClassifier.Problem(selection));
        }
        DigitClassifier.TagRequest(context, chosen);
        if (!string.Equals(MediaTypeOf(context.Request), ImageUpload.MultipartFormData, StringComparison.OrdinalIgnoreCase))
        {
            return TypedResults.Problem(ProblemTypes.MediaTypeUnsupported.With(
                $"A batch is a {ImageUpload.MultipartFormData} form with one file field '{ImageUpload.FormField}' per image."));
        }

        ImageUpload upload = await ImageUpload.ReadAsync(context.Request, options.Value.MaxRequestBytes, cancellationToken, options.Value.MaxBatchImages);
        if (upload.Problem is { } uploadProblem)
        {
            return TypedResults.Problem(uploadProblem);
        }
        if (!chosen.Batcher.TryAdmit(upload.Images.Count, out DynamicBatcher.Admission admission))
        {
            return Problem(context, DigitClassifier.QueueFull(chosen.Name));
        }
        using DynamicBatcher.Admission admitted = admission;

        long started = Stopwatch.GetTimestamp();
        var pending = new Task<ModelAnswer>?[upload.Images.Count];
        var problems = new ProblemDetails?[upload.Images.Count];
        for (int i = 0; i < upload.Images.Count; i++)
        {
            try
            {
                float[] image = classifier.Preprocess(upload.Images[i].Bytes.Span, cancellationToken);
                // Queued at once, so the images of one request share batches.
                pending[i] = classifier.InferAsync(chosen, image, cancellationToken);
            }
            catch (Exception exception) when (EngineExceptionHandler.ForImage(exception) is { } imageProblem)
            {
                problems[i] = imageProblem;
            }
        }

        var items = new BatchItemResult[upload.Images.Count];
        for (int i = 0; i < items.Length; i++)
        {
            string? fileName = upload.Images[i].FileName;
            ModelAnswer? answer = pending[i] is { } task ? await task : null;
            ProblemDetails? problem = problems[i] ?? answer?.Problem;
            items[i] = problem is null
                ? new BatchItemResult(i, fileName, DigitClassifier.ToResult(answer!, answer!.Milliseconds), null)
                : new BatchItemResult(i, fileName, null, new BatchItemProblem(problem.Type!, problem.Title!, problem.Status!.Value, problem.Detail!));
        }
        int failed = items.Count(item => item.Problem is not null);
        LogBatch(context.RequestServices.GetRequiredService<ILogger<DigitClassifier>>(),
            chosen.Name, items.Length, failed, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        return OkWithLength.Of(new BatchClassificationResult(chosen.Name, items.Length - failed, failed, items));
    }

    private static string? MediaTypeOf(HttpRequest request) =>
        MediaTypeHeaderValue.TryParse(request.ContentType, out MediaTypeHeaderValue? parsed) ? parsed.MediaType.Value : null;

    private static ProblemHttpResult Problem(HttpContext context, ProblemDetails problem)
    {
        DigitClassifier.AddRetryAfter(context.Response, problem);
        return TypedResults.Problem(problem);
    }

    // The bodies are read by hand, so the OpenAPI document learns their shape here.
    private static RouteHandlerBuilder WithRequestBody(this RouteHandlerBuilder builder, Func<OpenApiRequestBody> body) =>
        builder.AddOpenApiOperationTransformer((operation, _, _) =>
        {
            operation.RequestBody = body();
            return Task.CompletedTask;
        });

    private static OpenApiRequestBody BatchRequestBody() => new()
    {
        Required = true,
        Description = "The images, as repeated `image` file fields of a multipart form.",
        Content = new Dictionary<string, OpenApiMediaType>
        {
            [ImageUpload.MultipartFormData] = FormWithImageField(new OpenApiSchema
            {
                Type = JsonSchemaType.Array,
                Items = new OpenApiSchema { Type = JsonSchemaType.String, Format = "binary" },
                Description = "The images: PNG, JPEG, BMP, GIF or WebP.",
            }),
        },
    };

    // A multipart form whose required field `image` has the given schema.
    private static OpenApiMediaType FormWithImageField(OpenApiSchema field) => new()
    {
        Schema = new OpenApiSchema
        {
            Type = JsonSchemaType.Object,
            Required = new HashSet<string> { ImageUpload.FormField },
            Properties = new Dictionary<string, IOpenApiSchema> { [ImageUpload.FormField] = field },
        },
    };

    private static OpenApiRequestBody ImageRequestBody()
    {
        var content = new Dictionary<string, OpenApiMediaType>
        {
            // First, so that Swagger UI's "Try it out" opens on the file picker.
            [ImageUpload.MultipartFormData] = FormWithImageField(new OpenApiSchema
            {
                Type = JsonSchemaType.String,
                Format = "binary",
                Description = "The image: PNG, JPEG, BMP, GIF or WebP, a dark digit on a light background or the reverse.",
            }),
        };
        foreach (string mediaType in ImageUpload.RawMediaTypes)
        {
            content[mediaType] = new OpenApiMediaType { Schema = new OpenApiSchema { Type = JsonSchemaType.String, Format = "binary" } };
        }
        return new OpenApiRequestBody
        {
            Required = true,
            Description = "The image, as a multipart form's `image` file or as the raw body.",
            Content = content,
        };
    }

    private static readonly ClassificationResult ExampleResult = new(
        7, 0.9912f, [0.0001f, 0.0003f, 0.0021f, 0.0009f, 0.0002f, 0.0001f, 0.0000f, 0.9912f, 0.0004f, 0.0047f],
        "enhanced-relu_softsign", "relu_softsign", "cpu", "managed", 0.84);

    private static readonly ProblemDetails ExampleUnknownActivation = ProblemTypes.ActivationUnknown.With(
        $"There is no activation 'tanh'. Valid ids: {string.Join(", ", ActivationFunctions.Ids)}; those with a model loaded: relu, relu_softsign.");

    // Debug: at thousands of requests a second, a line each would be most of the log.
    [LoggerMessage(Level = LogLevel.Debug, Message = "Classified with {Model} on {Backend} in {ElapsedMilliseconds:F2} ms")]
    private static partial void LogClassified(ILogger logger, string model, string backend, double elapsedMilliseconds);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Classified a batch of {Count} images ({Failed} failed) with {Model} in {ElapsedMilliseconds:F2} ms")]
    private static partial void LogBatch(ILogger logger, string model, int count, int failed, double elapsedMilliseconds);
}
