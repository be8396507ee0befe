# syntax=docker/dockerfile:1
# The digits service. Each image carries the native libraries of one platform only.
#   docker build -t digits-api .                                        CPU, linux-x64 (the default target)
#   docker buildx build --platform linux/arm64 --build-arg RID=linux-arm64 -t digits-api:arm64 .
#   docker build --target gpu -t digits-api:gpu .                       CUDA, linux-x64 (ONNX Runtime GPU)
# Run with a read-only root filesystem; only /tmp must be writable:
#   docker run --read-only --tmpfs /tmp -p 8080:8080 digits-api
# docs/deploy.md covers compose, Kubernetes, KServe and the GPU route.

# Versions, pinned to a patch so a rebuild gives the same image; bump them together with the SDK here.
ARG DOTNET_SDK_VERSION=10.0.401
ARG DOTNET_VERSION=10.0.15
# ONNX Runtime 1.31's CUDA build links CUDA 13 (libcudart.so.13, libcublas.so.13) and loads cuDNN 9 (docs/deploy.md).
ARG CUDA_IMAGE=nvidia/cuda:13.0.0-cudnn-runtime-ubuntu24.04

# ---- Sources: project files first, so the restore layers stay cached while only code changes ----------------
FROM --platform=$BUILDPLATFORM mcr.microsoft.com/dotnet/sdk:${DOTNET_SDK_VERSION} AS source
WORKDIR /src
COPY Directory.Build.props Directory.Build.targets Directory.Packages.props ./
COPY Contracts/Contracts.csproj Contracts/
COPY Engine/Engine.csproj Engine/
COPY Api/Api.csproj Api/

# ---- Build (CPU): publish for one runtime identifier, so no other platform's native libraries come along -----
FROM source AS build
ARG RID=linux-x64
RUN dotnet restore Api/Api.csproj -r "$RID"
COPY Contracts/ Contracts/
COPY Engine/ Engine/
COPY Api/ Api/
# The committed models are the image's default; mount a volume over /app/models to serve others.
COPY models/ models/
RUN dotnet publish Api/Api.csproj -c Release -r "$RID" --self-contained false --no-restore -o /app

# ---- Build (CUDA): the same, against the ONNX Runtime GPU package (linux-x64 only) ----------------------------
FROM source AS build-gpu
RUN dotnet restore Api/Api.csproj -r linux-x64 -p:UseCuda=true
COPY Contracts/ Contracts/
COPY Engine/ Engine/
COPY Api/ Api/
COPY models/ models/
RUN dotnet publish Api/Api.csproj -c Release -r linux-x64 --self-contained false --no-restore -p:UseCuda=true -o /app

# ---- The ASP.NET runtime, copied into the CUDA image below ----------------------------------------------------
FROM mcr.microsoft.com/dotnet/aspnet:${DOTNET_VERSION} AS aspnet

# ---- GPU image: docker build --target gpu; run with --gpus all (compose profile gpu, overlay gpu) -------------
FROM ${CUDA_IMAGE} AS gpu
ARG VERSION=dev
ARG REVISION=unknown
ARG CUDA_IMAGE
LABEL org.opencontainers.image.title="digits-api (CUDA)" \
      org.opencontainers.image.description="Handwritten digit classification over HTTP, on ONNX Runtime with CUDA 13 and cuDNN 9" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${REVISION}" \
      org.opencontainers.image.base.name="${CUDA_IMAGE}"
# What the .NET runtime needs beyond the CUDA image (InvariantGlobalization: no ICU). Versions float with the
# pinned Ubuntu release so a rebuild picks up its security fixes.
# hadolint ignore=DL3008
RUN apt-get update \
    && apt-get install -y --no-install-recommends ca-certificates libssl3t64 tzdata zlib1g \
    && rm -rf /var/lib/apt/lists/* \
    && groupadd --gid 1654 app \
    && useradd --uid 1654 --gid 1654 --no-create-home --home-dir /tmp --shell /usr/sbin/nologin app \
    && ln -s /usr/share/dotnet/dotnet /usr/bin/dotnet
COPY --from=aspnet /usr/share/dotnet /usr/share/dotnet
WORKDIR /app
COPY --from=build-gpu /app .
COPY deploy/docker/healthcheck.sh /app/healthcheck.sh
ENV APP_UID=1654 \
    DOTNET_RUNNING_IN_CONTAINER=true \
    ASPNETCORE_HTTP_PORTS=8080 \
    DOTNET_GCgen0size=0x3000000 \
    Inference__Device=cuda \
    NVIDIA_VISIBLE_DEVICES=all \
    NVIDIA_DRIVER_CAPABILITIES=compute,utility
EXPOSE 8080
USER 1654:1654
# bash's /dev/tcp: no curl or wget, no second .NET process; it follows ASPNETCORE_HTTP_PORTS / ASPNETCORE_URLS.
HEALTHCHECK --interval=10s --timeout=3s --start-period=60s --retries=3 \
    CMD ["bash", "/app/healthcheck.sh"]
ENTRYPOINT ["dotnet", "/app/Api.dll"]

# ---- CPU image, the default target: the ASP.NET runtime only, as its non-root user --------------------------
FROM aspnet AS runtime
ARG VERSION=dev
ARG REVISION=unknown
ARG DOTNET_VERSION
LABEL org.opencontainers.image.title="digits-api" \
      org.opencontainers.image.description="Handwritten digit classification over HTTP" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${REVISION}" \
      org.opencontainers.image.base.name="mcr.microsoft.com/dotnet/aspnet:${DOTNET_VERSION}"
WORKDIR /app
# Owned by root and read-only to the service's user: nothing under /app is written at run time.
COPY --from=build /app .
COPY deploy/docker/healthcheck.sh /app/healthcheck.sh
# A 48 MiB gen0 budget: a request allocates about 20 KB, and the default budget meant dozens of gen0
# collections a second under load (docs/operating.md, "Memory").
ENV ASPNETCORE_HTTP_PORTS=8080 \
    DOTNET_GCgen0size=0x3000000 \
    Inference__Device=cpu
EXPOSE 8080
USER $APP_UID
# bash's /dev/tcp: no curl or wget, no second .NET process; it follows ASPNETCORE_HTTP_PORTS / ASPNETCORE_URLS.
HEALTHCHECK --interval=10s --timeout=3s --start-period=60s --retries=3 \
    CMD ["bash", "/app/healthcheck.sh"]
ENTRYPOINT ["dotnet", "/app/Api.dll"]
