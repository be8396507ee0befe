// Validates rendered manifests offline; run by scripts/check-deploy.sh.
//   node validate.mjs cpu:FILE gpu:FILE kserve:FILE...
// Kubernetes objects: against the Kubernetes OpenAPI schemas compiled into the kubernetes-models package.
// KServe objects: against kserve/*.schema.json (the fields used, typed as in KServe's CRDs), their pod parts
// against the Kubernetes schemas. Then the service's own contract: probes, limits, hardening, wiring.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseAllDocuments } from "yaml";
import Ajv from "ajv";

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const errors = [];
const fail = (where, message) => errors.push(`${where}: ${message}`);

async function kubernetesModel(apiVersion, kind) {
  try {
    return (await import(`kubernetes-models/${apiVersion}/${kind}`))[kind];
  } catch {
    return undefined;
  }
}

async function validateKubernetes(where, object, apiVersion = object.apiVersion, kind = object.kind) {
  const Model = await kubernetesModel(apiVersion, kind);
  if (!Model) {
    fail(where, `no Kubernetes schema for ${apiVersion} ${kind}`);
    return;
  }
  try {
    new Model(object).validate();
  } catch (error) {
    fail(where, `${apiVersion} ${kind} does not match its schema: ${error.message}`);
  }
}

const ajv = new Ajv({ allErrors: true, strict: true });
const kserveSchemas = {
  ServingRuntime: ajv.compile(JSON.parse(readFileSync(join(here, "kserve/servingruntime.schema.json"), "utf8"))),
  InferenceService: ajv.compile(JSON.parse(readFileSync(join(here, "kserve/inferenceservice.schema.json"), "utf8"))),
};

function load(file) {
  return parseAllDocuments(readFileSync(file, "utf8"))
    .map((document) => {
      if (document.errors.length) fail(file, `YAML: ${document.errors.map((e) => e.message).join("; ")}`);
      return document.toJS();
    })
    .filter((object) => object != null);
}

const matches = (selector = {}, labels = {}) =>
  Object.keys(selector).length > 0 && Object.entries(selector).every(([key, value]) => labels[key] === value);

function checkHardenedContainer(where, container, podSecurityContext = {}) {
  const security = container.securityContext ?? {};
  if (security.allowPrivilegeEscalation !== false) fail(where, "allowPrivilegeEscalation is not false");
  if (security.readOnlyRootFilesystem !== true) fail(where, "readOnlyRootFilesystem is not true");
  if ((security.runAsNonRoot ?? podSecurityContext.runAsNonRoot) !== true) fail(where, "runAsNonRoot is not true");
  if (!(security.capabilities?.drop ?? []).includes("ALL")) fail(where, "capabilities do not drop ALL");
  const seccomp = security.seccompProfile?.type ?? podSecurityContext.seccompProfile?.type;
  if (seccomp !== "RuntimeDefault") fail(where, `seccompProfile is ${seccomp ?? "unset"}, not RuntimeDefault`);
  for (const kind of ["requests", "limits"]) {
    for (const resource of ["cpu", "memory"]) {
      if (!container.resources?.[kind]?.[resource]) fail(where, `no ${resource} in resources.${kind}`);
    }
  }
  if (!(container.volumeMounts ?? []).some((mount) => mount.mountPath === "/tmp")) fail(where, "no writable /tmp mounted");
  if (container.readinessProbe?.httpGet?.path !== "/health/ready") fail(where, "readinessProbe is not GET /health/ready");
  if (container.livenessProbe?.httpGet?.path !== "/health/live") fail(where, "livenessProbe is not GET /health/live");
}

function env(container, name) {
  return (container.env ?? []).find((variable) => variable.name === name)?.value;
}

async function checkOverlay(variant, file, objects) {
  const byKind = (kind) => objects.filter((object) => object.kind === kind);
  for (const kind of ["Deployment", "Service", "HorizontalPodAutoscaler", "PodDisruptionBudget", "NetworkPolicy", "ServiceAccount"]) {
    if (byKind(kind).length !== 1) fail(`${variant}`, `expected one ${kind}, found ${byKind(kind).length}`);
  }
  for (const object of objects) {
    await validateKubernetes(`${variant} ${object.kind}/${object.metadata?.name}`, object);
  }
  const [deployment] = byKind("Deployment");
  if (!deployment) return;
  const where = `${variant} Deployment/${deployment.metadata.name}`;
  const pod = deployment.spec.template;
  const podSpec = pod.spec;
  const [container] = podSpec.containers;
  checkHardenedContainer(`${where} container ${container.name}`, container, podSpec.securityContext);
  if (container.startupProbe?.httpGet?.path == null) fail(where, "no HTTP startupProbe");
  const tmp = (podSpec.volumes ?? []).find((volume) => volume.name === container.volumeMounts?.find((m) => m.mountPath === "/tmp")?.name);
  if (!tmp?.emptyDir) fail(where, "/tmp is not an emptyDir");
  if (podSpec.automountServiceAccountToken !== false) fail(where, "the service account token is mounted");
  if (!matches(deployment.spec.selector.matchLabels, pod.metadata.labels)) fail(where, "the selector does not match the pod's labels");

  const [service] = byKind("Service");
  if (service && !matches(service.spec.selector, pod.metadata.labels)) fail(`${variant} Service`, "its selector does not match the pods");
  const namedPorts = new Set(container.ports.map((port) => port.name));
  for (const port of service?.spec.ports ?? []) {
    if (typeof port.targetPort === "string" && !namedPorts.has(port.targetPort)) fail(`${variant} Service`, `targetPort ${port.targetPort} is no container port`);
  }
  const [hpa] = byKind("HorizontalPodAutoscaler");
  if (hpa) {
    const target = hpa.spec.scaleTargetRef;
    if (target.kind !== "Deployment" || target.name !== deployment.metadata.name) fail(`${variant} HorizontalPodAutoscaler`, "it does not scale the Deployment");
    if (!(hpa.spec.minReplicas >= 1 && hpa.spec.maxReplicas >= hpa.spec.minReplicas)) fail(`${variant} HorizontalPodAutoscaler`, "bad replica bounds");
  }
  const [pdb] = byKind("PodDisruptionBudget");
  if (pdb && !matches(pdb.spec.selector.matchLabels, pod.metadata.labels)) fail(`${variant} PodDisruptionBudget`, "its selector does not match the pods");
  const [policy] = byKind("NetworkPolicy");
  if (policy) {
    if (!matches(policy.spec.podSelector.matchLabels, pod.metadata.labels)) fail(`${variant} NetworkPolicy`, "its podSelector does not match the pods");
    const allowed = (policy.spec.ingress ?? []).flatMap((rule) => rule.ports ?? []).map((port) => port.port);
    const containerPort = container.ports[0].containerPort;
    if (!allowed.includes(containerPort) && !allowed.includes(container.ports[0].name)) fail(`${variant} NetworkPolicy`, `ingress does not allow port ${containerPort}`);
  }

  const device = env(container, "Inference__Device");
  const gpus = container.resources?.limits?.["nvidia.com/gpu"];
  if (variant === "gpu") {
    if (device !== "cuda") fail(where, `Inference__Device is ${device}, not cuda`);
    if (String(gpus) !== "1") fail(where, "no nvidia.com/gpu limit of 1");
    if (!/:gpu$/.test(container.image)) fail(where, `image ${container.image} is not the gpu tag`);
  } else {
    if (device !== "cpu") fail(where, `Inference__Device is ${device}, not cpu`);
    if (gpus !== undefined) fail(where, "the cpu variant asks for a GPU");
  }
  if (env(container, "ASPNETCORE_HTTP_PORTS") !== String(container.ports[0].containerPort)) fail(where, "ASPNETCORE_HTTP_PORTS is not the container port");
}

async function checkKServe(objects) {
  const runtimes = objects.filter((object) => object.kind === "ServingRuntime");
  const services = objects.filter((object) => object.kind === "InferenceService");
  if (runtimes.length !== 1 || services.length !== 1) fail("kserve", "expected one ServingRuntime and one InferenceService");
  for (const object of objects) {
    const where = `kserve ${object.kind}/${object.metadata?.name}`;
    const validate = kserveSchemas[object.kind];
    if (!validate) {
      fail(where, "not a KServe kind this check knows");
      continue;
    }
    if (!validate(object)) fail(where, ajv.errorsText(validate.errors, { dataVar: object.kind }));
  }
  for (const runtime of runtimes) {
    const where = `kserve ServingRuntime/${runtime.metadata.name}`;
    for (const container of runtime.spec.containers ?? []) {
      await validateKubernetes(`${where} container ${container.name}`, container, "v1", "Container");
      checkHardenedContainer(`${where} container ${container.name}`, container);
    }
    for (const volume of runtime.spec.volumes ?? []) await validateKubernetes(`${where} volume ${volume.name}`, volume, "v1", "Volume");
    if (!(runtime.spec.protocolVersions ?? []).includes("v2")) fail(where, "does not speak protocol v2");
    if (runtime.spec.containers?.[0]?.name !== "kserve-container") fail(where, "the serving container must be named kserve-container");
  }
  for (const service of services) {
    const where = `kserve InferenceService/${service.metadata.name}`;
    const predictor = service.spec?.predictor ?? {};
    if (predictor.securityContext) await validateKubernetes(`${where} securityContext`, predictor.securityContext, "v1", "PodSecurityContext");
    if (predictor.model?.resources) await validateKubernetes(`${where} resources`, predictor.model.resources, "v1", "ResourceRequirements");
    if (predictor.model?.protocolVersion !== "v2") fail(where, "protocolVersion is not v2");
    const runtime = runtimes.find((candidate) => candidate.metadata.name === predictor.model?.runtime);
    if (!runtime) fail(where, `runtime ${predictor.model?.runtime} is not the ServingRuntime here`);
    else if (!(runtime.spec.supportedModelFormats ?? []).some((format) => format.name === predictor.model.modelFormat?.name)) {
      fail(where, `the runtime does not support model format ${predictor.model.modelFormat?.name}`);
    }
  }
}

const groups = new Map();
for (const argument of process.argv.slice(2)) {
  const [variant, file] = argument.split(/:(.*)/s, 2);
  if (!file) throw new Error(`expected VARIANT:FILE, got ${argument}`);
  groups.set(variant, [...(groups.get(variant) ?? []), ...load(file)]);
}
for (const [variant, objects] of groups) {
  if (variant === "kserve") await checkKServe(objects);
  else await checkOverlay(variant, variant, objects);
  console.log(`   ${variant}: ${objects.length} objects (${objects.map((object) => object.kind).join(", ")})`);
}
const version = require("kubernetes-models/package.json").version;
if (errors.length) {
  for (const error of errors) console.error(`error: ${error}`);
  process.exit(1);
}
console.log(`   ok: schemas (kubernetes-models ${version}; KServe fields from kserve/*.schema.json) and the service's contract`);
