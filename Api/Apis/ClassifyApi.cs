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
using Microsoft.OpenApi;

namespace Api.Apis;

/// <summary><c>POST /v1/classify</c>: which digit an image shows.</summary>
public static partial class ClassifyApi
{
    public static IEndpointRouteBuilder MapClassifyApi(this IEndpointRouteBuilder app)
    {
        RouteGroupBuilder api = app.MapGroup("/v1/classify").WithTags("Classification");

        api.MapPost("", Classify)
            .WithName("Classify")
            .WithSummary("Classify a handwritten digit")
            .WithDescription(
                "Send the image either as the file field `image` of a `multipart/form-data` form, or as the raw request body " +
                "with `Content-Type: image/png` (or image/jpeg, image/bmp, image/gif, image/webp, application/octet-stream). " +
                "The digit is found, centred and scaled to 28×28 like MNIST, then classified. Without `activation` or `model`, " +
                "the most accurate `enhanced` model answers; with `activation`, that activation's `enhanced` model.\n\n" +
                "Errors: 400 empty body, missing `image` field, corrupt image, unknown activation or model; " +
                "413 body over `Classification:MaxRequestBytes` or image over `Classification:MaxPixels` pixels; " +
                "415 unsupported content type or image format; 422 no digit in the image (e.g. blank); 503 models not loaded yet.")
            // The body is read by hand (multipart or raw), so no form binding, and no antiforgery token is expected.
            .DisableAntiforgery()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable)
            .AddOpenApiOperationTransformer((operation, _, _) =>
            {
                operation.RequestBody = ImageRequestBody();
                return Task.CompletedTask;
            })
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

        return app;
    }

    public static async Task<Results<Ok<ClassificationResult>, ProblemHttpResult>> Classify(
        HttpRequest request,
        [FromQuery, Description("The activation function whose `enhanced` model should answer, e.g. `relu_softsign`. See GET /v1/activations.")]
        string? activation,
        [FromQuery, Description("The exact model to use, e.g. `baseline-relu` or `enhanced-elu`. See GET /v1/models.")]
        string? model,
        ModelStore store,
        DigitImagePreprocessor preprocessor,
        IOptions<ClassificationOptions> options,
        ILoggerFactory loggerFactory,
        CancellationToken cancellationToken)
    {
        ModelCatalog catalog = store.Catalog;
        if (SelectModel(catalog, activation, model, out DigitModel? chosen) is { } selectionProblem)
        {
            return TypedResults.Problem(selectionProblem);
        }

        ImageUpload upload = await ImageUpload.ReadAsync(request, options.Value.MaxRequestBytes, cancellationToken);
        if (upload.Problem is { } uploadProblem)
        {
            return TypedResults.Problem(uploadProblem);
        }

        long started = Stopwatch.GetTimestamp();
        float[] image = preprocessor.Preprocess(upload.Bytes.Span, cancellationToken);
        float[] probabilities = chosen.Classify(image);
        double elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;

        int digit = TensorPrimitives.IndexOfMax(probabilities);
        LogClassified(loggerFactory.CreateLogger(typeof(ClassifyApi)), chosen.Name, chosen.Device, elapsed);
        return TypedResults.Ok(new ClassificationResult(
            digit, probabilities[digit], probabilities, chosen.Name, chosen.Card.Activation, chosen.Device, Math.Round(elapsed, 3)));
    }

    private static ProblemDetails? SelectModel(ModelCatalog catalog, string? activation, string? model, out DigitModel chosen)
    {
        chosen = catalog.Default;
        if (!string.IsNullOrEmpty(model))
        {
            if (!catalog.TryGetByName(model, out DigitModel? named))
            {
                return ProblemTypes.ModelUnknown.With(
                    $"There is no model named '{model}'. Models: {string.Join(", ", catalog.Models.Select(m => m.Name))}.");
            }
            if (!string.IsNullOrEmpty(activation) && !string.Equals(activation, named.Card.Activation, StringComparison.OrdinalIgnoreCase))
            {
                return ProblemTypes.ModelActivationMismatch.With(
                    $"The model '{named.Name}' uses the activation '{named.Card.Activation}', not '{activation}'. Give one of the two, or matching values.");
            }
            chosen = named;
            return null;
        }
        if (string.IsNullOrEmpty(activation))
        {
            return null;
        }
        if (!ActivationFunctions.TryGet(activation, out ActivationFunction? function))
        {
            return ProblemTypes.ActivationUnknown.With(
                $"There is no activation '{activation}'. Valid ids: {string.Join(", ", ActivationFunctions.Ids)}; {DescribeServed(catalog)}.");
        }
        if (!catalog.TryGetByActivation(function.Id, out DigitModel? byActivation))
        {
            return ProblemTypes.ActivationWithoutModel.With(
                $"No loaded model uses the activation '{function.Id}'; {DescribeServed(catalog)}.");
        }
        chosen = byActivation;
        return null;
    }

    private static string DescribeServed(ModelCatalog catalog)
    {
        string[] served = ActivationFunctions.Ids.Where(id => catalog.TryGetByActivation(id, out _)).ToArray();
        return served.Length == 0 ? "no activation has a model loaded" : $"those with a model loaded: {string.Join(", ", served)}";
    }

    private static OpenApiRequestBody ImageRequestBody()
    {
        var content = new Dictionary<string, OpenApiMediaType>
        {
            // First, so that Swagger UI's "Try it out" opens on the file picker.
            [ImageUpload.MultipartFormData] = new()
            {
                Schema = new OpenApiSchema
                {
                    Type = JsonSchemaType.Object,
                    Required = new HashSet<string> { ImageUpload.FormField },
                    Properties = new Dictionary<string, IOpenApiSchema>
                    {
                        [ImageUpload.FormField] = new OpenApiSchema
                        {
                            Type = JsonSchemaType.String,
                            Format = "binary",
                            Description = "The image: PNG, JPEG, BMP, GIF or WebP, a dark digit on a light background or the reverse.",
                        },
                    },
                },
            },
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
        "enhanced-relu_softsign", "relu_softsign", "cpu", 1.84);

    private static readonly ProblemDetails ExampleUnknownActivation = ProblemTypes.ActivationUnknown.With(
        $"There is no activation 'tanh'. Valid ids: {string.Join(", ", ActivationFunctions.Ids)}; those with a model loaded: relu, relu_softsign.");

    [LoggerMessage(Level = LogLevel.Information, Message = "Classified with {Model} on {Device} in {ElapsedMilliseconds:F2} ms")]
    private static partial void LogClassified(ILogger logger, string model, string device, double elapsedMilliseconds);
}
