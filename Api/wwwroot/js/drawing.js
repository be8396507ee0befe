// The drawing pad: strokes from Pointer Events (mouse, touch and pen alike), kept as a list so that
// undo can redraw all but the last; an uploaded image, when there is one, lies underneath.

/** A pad on a canvas. `onChange` runs after every change of the picture (stroke step, undo, clear, image). */
export class DrawingPad {
  constructor(canvas, { onChange, onStrokeEnd } = {}) {
    this.canvas = canvas;
    this.context = canvas.getContext('2d');
    this.strokes = [];
    this.current = null;
    this.background = null;
    this.width = 22;
    this.onChange = onChange ?? (() => {});
    this.onStrokeEnd = onStrokeEnd ?? (() => {});
    canvas.addEventListener('pointerdown', (event) => this.#down(event));
    canvas.addEventListener('pointermove', (event) => this.#move(event));
    canvas.addEventListener('pointerup', (event) => this.#up(event));
    canvas.addEventListener('pointercancel', (event) => this.#up(event));
    this.redraw();
  }

  /** Whether there is anything on the pad. */
  get isEmpty() { return this.strokes.length === 0 && this.background === null; }

  get canUndo() { return this.strokes.length > 0; }

  undo() {
    if (this.strokes.pop()) {
      this.redraw();
      this.onChange('undo');
    }
  }

  clear() {
    this.strokes = [];
    this.current = null;
    this.background = null;
    this.redraw();
    this.onChange('clear');
  }

  /** Puts an image (a decoded ImageBitmap or HTMLImageElement) under the strokes, fitted and centred. */
  setBackground(image) {
    this.strokes = [];
    this.background = image;
    this.redraw();
    this.onChange('image');
  }

  /** The picture as a PNG blob. */
  toBlob() {
    return new Promise((resolve, reject) =>
      this.canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error('The drawing could not be encoded.'))), 'image/png'));
  }

  redraw() {
    const { context: g, canvas } = this;
    g.fillStyle = '#ffffff';
    g.fillRect(0, 0, canvas.width, canvas.height);
    if (this.background) {
      const scale = Math.min(canvas.width / this.background.width, canvas.height / this.background.height);
      const w = this.background.width * scale;
      const h = this.background.height * scale;
      g.imageSmoothingQuality = 'high';
      g.drawImage(this.background, (canvas.width - w) / 2, (canvas.height - h) / 2, w, h);
    }
    for (const stroke of this.strokes) {
      this.#paint(stroke, 0);
    }
  }

  #point(event) {
    const rect = this.canvas.getBoundingClientRect();
    return [
      ((event.clientX - rect.left) / rect.width) * this.canvas.width,
      ((event.clientY - rect.top) / rect.height) * this.canvas.height,
    ];
  }

  #down(event) {
    if (event.button !== 0 && event.pointerType === 'mouse') {
      return;
    }
    event.preventDefault();
    this.canvas.setPointerCapture?.(event.pointerId);
    this.current = { width: this.width, points: [this.#point(event)], pointerId: event.pointerId };
    this.strokes.push(this.current);
    this.#paint(this.current, 0);
    this.onChange('stroke');
  }

  #move(event) {
    if (!this.current || event.pointerId !== this.current.pointerId) {
      return;
    }
    event.preventDefault();
    // Coalesced events keep fast pen and touch strokes smooth.
    const events = event.getCoalescedEvents?.() ?? [];
    for (const e of events.length ? events : [event]) {
      this.current.points.push(this.#point(e));
    }
    this.#paint(this.current, Math.max(0, this.current.points.length - events.length - 2));
    this.onChange('stroke');
  }

  #up(event) {
    if (!this.current || event.pointerId !== this.current.pointerId) {
      return;
    }
    this.current = null;
    this.onStrokeEnd();
    this.onChange('stroke-end');
  }

  #paint(stroke, from) {
    const g = this.context;
    g.strokeStyle = '#111111';
    g.fillStyle = '#111111';
    g.lineWidth = stroke.width;
    g.lineCap = 'round';
    g.lineJoin = 'round';
    const points = stroke.points;
    if (points.length === 1) {
      g.beginPath();
      g.arc(points[0][0], points[0][1], stroke.width / 2, 0, Math.PI * 2);
      g.fill();
      return;
    }
    g.beginPath();
    g.moveTo(points[from][0], points[from][1]);
    for (let i = from + 1; i < points.length; i++) {
      g.lineTo(points[i][0], points[i][1]);
    }
    g.stroke();
  }
}
