using Api.Hosting;
using Contracts;
using Engine.Activations;
using Engine.Inference;
using Engine.Networks;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Training.Onnx;

namespace Tests.Api;

/// <summary>
/// The API over a generated models folder: random-weight ONNX models with cards whose accuracies are made
/// up, so that tests know which model must answer without depending on trained models.
/// </summary>
public sealed class ApiApplication : WebApplicationFactory<Program>
{
    /// <summary>The limit on declared pixels the tests run with: small, so a modest image exceeds it.</summary>
    public const long MaxPixels = 250_000;

    /// <summary>
    /// The most accurate generated <c>enhanced</c> model: the default, though a baseline model
    /// (<see cref="MostAccurateModel"/>) scores higher.
    /// </summary>
    public const string DefaultModel = "enhanced-relu";

    /// <summary>The generated model with the best accuracy of all, a baseline one.</summary>
    public const string MostAccurateModel = "baseline-relu_softsign";

    /// <summary>The dead, dormant and collapsed units a generated card reports for the first activation layer of its network.</summary>
    public static LayerUnits FirstLayerUnits(NetworkArchitecture architecture)
    {
        ActivationLayer first = architecture.Build(ActivationFunctions.Relu).OfType<ActivationLayer>().First();
        return new LayerUnits(first.Units, first.Output.Channels, Dead: 4, Dormant: 2, Collapsed: 3);
    }

    /// <summary>An activation the engine knows but no generated model uses.</summary>
    public const string ActivationWithoutModel = "elu";

    private static readonly Lazy<string> GeneratedModels = new(GenerateModels);

    private readonly string modelsDirectory;
    private readonly bool loadModels;

    public ApiApplication()
        : this(GeneratedModels.Value, loadModels: true)
    {
    }

    private readonly IReadOnlyDictionary<string, string> settings;

    private ApiApplication(string modelsDirectory, bool loadModels, IReadOnlyDictionary<string, string>? settings = null)
    {
        this.modelsDirectory = modelsDirectory;
        this.loadModels = loadModels;
        this.settings = settings ?? new Dictionary<string, string>();
    }

    /// <summary>The folder of generated models every default application serves.</summary>
    public static string GeneratedModelsDirectory => GeneratedModels.Value;

    /// <summary>An application serving <paramref name="directory"/>, with extra configuration <paramref name="settings"/>.</summary>
    public static ApiApplication ForModels(string directory, IReadOnlyDictionary<string, string>? settings = null) =>
        new(directory, loadModels: true, settings);

    /// <summary>The generated models: name, activation, architecture and test accuracy.</summary>
    public static IReadOnlyList<(string Name, string Activation, string Architecture, double Accuracy)> Models { get; } =
    [
        ("baseline-relu", "relu", "baseline", 0.97),
        ("seed2-relu", "relu", "baseline", 0.95),
        ("enhanced-relu", "relu", "enhanced", 0.92),
        ("baseline-leaky_relu", "leaky_relu", "baseline", 0.96),
        ("baseline-noisy_relu", "noisy_relu", "baseline", 0.94),
        ("baseline-softsign", "softsign", "baseline", 0.93),
        ("baseline-relu_softsign", "relu_softsign", "baseline", 0.98),
        ("enhanced-relu_softsign", "relu_softsign", "enhanced", 0.91),
    ];

    /// <summary>An application whose models never finish loading.</summary>
    public static ApiApplication NeverLoading() => new(GeneratedModels.Value, loadModels: false);

    /// <summary>An application whose models folder does not exist, so loading fails.</summary>
    public static ApiApplication WithMissingModels() =>
        new(Path.Combine(Path.GetTempPath(), "digits-api-missing-" + Guid.NewGuid().ToString("N")), loadModels: true);

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("Inference:ModelsDirectory", modelsDirectory);
        builder.UseSetting("Inference:Device", "cpu");
        builder.UseSetting("Classification:MaxPixels", MaxPixels.ToString(System.Globalization.CultureInfo.InvariantCulture));
        foreach ((string key, string value) in settings)
        {
            builder.UseSetting(key, value);
        }
        if (!loadModels)
        {
            builder.ConfigureTestServices(services =>
            {
                ServiceDescriptor loader = services.Single(d => d.ServiceType == typeof(IHostedService) && d.ImplementationType == typeof(ModelLoader));
                services.Remove(loader);
            });
        }
    }

    private static string GenerateModels()
    {
        string directory = Path.Combine(Path.GetTempPath(), "digits-api-models-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try
            {
                Directory.Delete(directory, recursive: true);
            }
            catch (IOException)
            {
            }
        };

        int seed = 1;
        foreach ((string name, string activation, string architectureName, double accuracy) in Models)
        {
            NetworkArchitecture architecture = NetworkArchitecture.Get(architectureName);
            Network network = Network.Create(architecture, ActivationFunctions.Get(activation), seed);
            // He-initialised weights with small random biases: an untrained but fully exercised model.
            var random = new Random(seed);
            foreach (ParameterTensor bias in network.Tensors.Where(t => !t.IsWeight))
            {
                foreach (ref float value in network.Parameters.AsSpan(bias.Offset, bias.Length))
                {
                    value = (float)(random.NextDouble() * 2 - 1) * 0.05f;
                }
            }
            NetworkOnnxExporter.ExportToFile(
                network,
                new Dictionary<string, string> { ["name"] = name, ["activation"] = activation, ["architecture"] = architecture.Name },
                Path.Combine(directory, name + ".onnx"));
            ModelCardFile.Write(Path.Combine(directory, name + ".json"), new ModelCard(
                name, activation, architecture.Name, architecture.Description,
                "random weights for API tests", new DatasetSplit(0, 0, 0, seed), seed, 1, 1, accuracy, accuracy,
                Enumerable.Repeat(accuracy, 10).ToArray(), 0, new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero),
                "28×28 grayscale, white digit on black, values in [0, 1]", name + ".onnx", (int)OnnxGraphBuilder.OpsetVersion,
                "none: random weights", [FirstLayerUnits(architecture)],
                [new UnitSnapshot(0, [FirstLayerUnits(architecture) with { Dead = 0, Dormant = 1 }]), new UnitSnapshot(1, [FirstLayerUnits(architecture)])]));
            seed++;
        }
        return directory;
    }
}
