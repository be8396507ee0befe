using System.Diagnostics;
using System.Numerics.Tensors;
using Api.Errors;
using Api.Hosting;
using Contracts;
using Engine.Imaging;
using Engine.Inference;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc;

namespace Api.Apis;

/// <summary>
/// The path every classification takes, whichever endpoint it came through: decode and preprocess the upload
/// once, queue it for each model's batcher, and turn the outcome into a result or a problem.
/// </summary>
public sealed class DigitClassifier(DigitImagePreprocessor preprocessor, ServiceMetrics metrics, ModelStore store)
{
    /// <summary>Seconds a client refused for a full queue should wait: batches take milliseconds, so the queue drains quickly.</summary>
    public const string RetryAfterSeconds = "1";

    /// <summary>
    /// The 28×28 image of <paramref name="encoded"/> as the models expect it.
    /// </summary>
    /// <exception cref="ImageRejectedException">The upload is not an image the service accepts.</exception>
    /// <exception cref="DigitNotFoundException">It shows no digit.</exception>
    public float[] Preprocess(ReadOnlySpan<byte> encoded, CancellationToken cancellationToken)
    {
        using Activity? span = InferenceTelemetry.Source.StartActivity("preprocess");
        span?.SetTag("bytes", encoded.Length);
        long started = Stopwatch.GetTimestamp();
        float[] image = preprocessor.Preprocess(encoded, cancellationToken);
        metrics.RecordPreprocessing(Stopwatch.GetElapsedTime(started));
        return image;
    }

    /// <summary>Runs <paramref name="image"/> through <paramref name="model"/>; a problem when the model could not take it.</summary>
    /// <remarks>
    /// If the model was replaced since it was chosen (a new copy of its files), the image goes to the copy now
    /// serving under the same name and version; requests already queued on the old copy finish on it.
    /// </remarks>
    public async Task<ModelAnswer> InferAsync(DigitModel model, float[] image, CancellationToken cancellationToken)
    {
        long started = Stopwatch.GetTimestamp();
        var probabilities = new float[DigitModel.Classes];
        InferenceStatus status = InferenceStatus.Stopped;
        for (int attempt = 0; attempt < 3 && status == InferenceStatus.Stopped; attempt++)
        {
            if (!model.TryAcquire())
            {
                if (!store.Catalog.TryGetServing(model.Name, model.Version, out DigitModel? current))
                {
                    break;
                }
                model = current;
                continue;
            }
            try
            {
                status = await model.ClassifyAsync(image, probabilities, cancellationToken);
            }
            finally
            {
                model.Release();
            }
        }
        double milliseconds = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        return status == InferenceStatus.Completed
            ? new ModelAnswer(model, probabilities, TensorPrimitives.IndexOfMax(probabilities), milliseconds, null)
            : new ModelAnswer(model, probabilities, -1, milliseconds, Problem(status, model.Name));
    }

    /// <summary>The problem for a selection that found no model.</summary>
    public static ProblemDetails Problem(ModelSelection selection) => selection.Error switch
    {
        ModelSelectionError.ModelUnknown => ProblemTypes.ModelUnknown.With(selection.Detail!),
        ModelSelectionError.ModelUnavailable => ProblemTypes.ModelUnavailable.With(selection.Detail!),
        ModelSelectionError.ModelActivationMismatch => ProblemTypes.ModelActivationMismatch.With(selection.Detail!),
        ModelSelectionError.ActivationUnknown => ProblemTypes.ActivationUnknown.With(selection.Detail!),
        ModelSelectionError.ActivationWithoutModel => ProblemTypes.ActivationWithoutModel.With(selection.Detail!),
        ModelSelectionError.ArchitectureUnknown => ProblemTypes.ArchitectureUnknown.With(selection.Detail!),
        _ => ProblemTypes.ModelsUnavailable.With(selection.Detail ?? "No model serves."),
    };

    /// <summary>A result of the service's shape from a completed answer.</summary>
    public static ClassificationResult ToResult(ModelAnswer answer, double elapsedMilliseconds) => new(
        answer.Digit,
        answer.Probabilities[answer.Digit],
        answer.Probabilities,
        answer.Model.Name,
        answer.Model.Card.Activation,
        answer.Model.Backend.Device,
        answer.Model.Backend.Name,
        Math.Round(elapsedMilliseconds, 3));

    /// <summary>Adds the model and backend to the request's <c>http.server.request.duration</c> measurement.</summary>
    public static void TagRequest(HttpContext context, DigitModel model)
    {
        if (context.Features.Get<IHttpMetricsTagsFeature>() is { } metrics)
        {
            metrics.Tags.Add(new KeyValuePair<string, object?>("model", model.Name));
            metrics.Tags.Add(new KeyValuePair<string, object?>("backend", model.Backend.Name));
        }
    }

    /// <summary>Sets <c>Retry-After</c> on responses whose problem says retrying will help.</summary>
    public static void AddRetryAfter(HttpResponse response, ProblemDetails problem)
    {
        if (problem.Type is { } type && (type == ProblemTypes.QueueFull.Type || type == ProblemTypes.QueueTimeout.Type
                                         || type == ProblemTypes.ModelsLoading.Type || type == ProblemTypes.ModelUnavailable.Type))
        {
            response.Headers.RetryAfter = RetryAfterSeconds;
        }
    }

    /// <summary>The problem of a model that takes no more images now.</summary>
    public static ProblemDetails QueueFull(string model) => ProblemTypes.QueueFull.With(
        $"The model '{model}' has as many images in hand as Batching:MaxQueueSize allows; retry after {RetryAfterSeconds} s.");

    private static ProblemDetails Problem(InferenceStatus status, string model) => status switch
    {
        InferenceStatus.QueueFull => QueueFull(model),
        InferenceStatus.TimedOut => ProblemTypes.QueueTimeout.With(
            $"The image waited longer than Batching:QueueTimeoutMilliseconds for the model '{model}'; the service is overloaded."),
        InferenceStatus.Cancelled => ProblemTypes.RequestCancelled.With("The client closed the request before the model ran it."),
        _ => ProblemTypes.ModelUnavailable.With($"The model '{model}' stopped serving before it ran the image."),
    };
}
