# syntax=docker/dockerfile:1

# Build: restore first (cached while only sources change), then publish the API with the models in ./models.
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY Directory.Build.props Directory.Packages.props ./
COPY Contracts/Contracts.csproj Contracts/
COPY Engine/Engine.csproj Engine/
COPY Api/Api.csproj Api/
RUN dotnet restore Api/Api.csproj
# Everything .dockerignore lets through: Api, Engine, Contracts and, once committed, models/.
COPY . .
RUN dotnet publish Api/Api.csproj -c Release -o /app --no-restore

# Run: the ASP.NET runtime only, as the image's non-root user. Api.csproj publishes models/ beside Api.dll.
FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
WORKDIR /app
COPY --from=build /app .
ENV ASPNETCORE_HTTP_PORTS=8080 \
    Inference__Device=cpu
EXPOSE 8080
USER $APP_UID
# The image has no curl or wget: `--probe` makes Api.dll itself GET /health/ready and exit 0 (ready) or 1.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["dotnet", "/app/Api.dll", "--probe"]
ENTRYPOINT ["dotnet", "/app/Api.dll"]
