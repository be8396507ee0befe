using Api.Hosting;

namespace Tests.Api;

/// <summary>The probe asks the port the server listens on, read from the variables Kestrel reads.</summary>
public sealed class ReadinessProbeTests
{
    [Theory]
    [InlineData(null, null, "http://localhost:8080/health/ready")]
    [InlineData(null, "9090", "http://localhost:9090/health/ready")]
    [InlineData(null, " 9091 ; 9092", "http://localhost:9091/health/ready")]
    [InlineData("http://+:5000", "9090", "http://localhost:5000/health/ready")]
    [InlineData("https://+:5001;http://*:5002", null, "http://localhost:5002/health/ready")]
    [InlineData("http://[::]:5003/", null, "http://localhost:5003/health/ready")]
    [InlineData("http://localhost", null, "http://localhost:80/health/ready")]
    [InlineData("https://+:5001", "9093", "http://localhost:9093/health/ready")]
    [InlineData(null, "not-a-port;70000", "http://localhost:8080/health/ready")]
    public void UrlFromEnvironment_FollowsTheServersAddress(string? urls, string? httpPorts, string expected)
    {
        var environment = new Dictionary<string, string?> { ["ASPNETCORE_URLS"] = urls, ["ASPNETCORE_HTTP_PORTS"] = httpPorts };

        Assert.Equal(expected, ReadinessProbe.UrlFromEnvironment(name => environment.GetValueOrDefault(name)));
    }

    [Fact]
    public void UrlFromEnvironment_ReadsTheDotnetPrefixedVariablesToo()
    {
        var environment = new Dictionary<string, string?> { ["DOTNET_HTTP_PORTS"] = "7070" };

        Assert.Equal("http://localhost:7070/health/ready", ReadinessProbe.UrlFromEnvironment(name => environment.GetValueOrDefault(name)));
    }
}
