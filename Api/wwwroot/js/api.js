// Calls to the service, and what each failure means to someone drawing.

/** A failed call, with a sentence for the page. */
export class ServiceError extends Error {
  constructor(status, message, problem) {
    super(message);
    this.status = status;
    this.problem = problem;
  }
}

async function readProblem(response) {
  try {
    return await response.json();
  } catch {
    return null;
  }
}

function explain(status, problem) {
  const detail = problem?.detail;
  switch (status) {
    case 413:
      return `That image is too large for the service. ${detail ?? ''}`.trim();
    case 415:
      return `That file is not an image the service reads: use PNG, JPEG, BMP, GIF or WebP. ${detail ?? ''}`.trim();
    case 422:
      return 'No digit found — draw something.';
    case 503:
      return detail ?? 'The models are not ready yet; try again in a few seconds.';
    default:
      return [problem?.title ?? `The service answered ${status}.`, detail].filter(Boolean).join(' ');
  }
}

/** POST /v1/classify/compare with the image as the multipart field `image`. */
export async function compare(blob, fileName, architecture, signal) {
  const form = new FormData();
  form.append('image', blob, fileName);
  let response;
  try {
    response = await fetch(`v1/classify/compare?architecture=${encodeURIComponent(architecture)}`, { method: 'POST', body: form, signal });
  } catch (error) {
    if (error.name === 'AbortError') {
      throw error;
    }
    throw new ServiceError(0, 'The service cannot be reached. Is it running?', null);
  }
  if (!response.ok) {
    const problem = await readProblem(response);
    throw new ServiceError(response.status, explain(response.status, problem), problem);
  }
  return response.json();
}

/** GET a JSON resource of the service. */
export async function getJson(path) {
  const response = await fetch(path, { headers: { Accept: 'application/json' } });
  if (!response.ok) {
    const problem = await readProblem(response);
    throw new ServiceError(response.status, explain(response.status, problem), problem);
  }
  return response.json();
}
