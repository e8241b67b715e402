/* statusdoc: the live diagram (zoom, pan, full screen, highlighting).
 *
 * Progressive enhancement of the markup statusdoc writes:
 *   <div class="statusdoc-live"><div class="statusdoc-viewport"><svg ...>
 * Without this script the SVG is scaled to the column and its status nodes
 * are plain links. With it: +/-/fit/full screen buttons, the mouse wheel
 * (with Ctrl, or once the diagram has focus), pinch, drag, and the keys
 * + - 0 and the arrows while the diagram has focus; hovering or focusing a
 * status highlights its transitions (edges whose data-from/data-to name the
 * node) and dims the rest. No dependencies, no network, works from file://.
 * docs/sphinx.rst ("The live diagram") is the reader's description.
 */
(function () {
  "use strict";

  var MAX_ZOOM = 40;
  var STEP = 1.4;
  var DRAG_SLOP = 4;

  function ids(text) {
    return (text || "").split(" ").filter(Boolean);
  }

  function button(text, label, action) {
    var b = document.createElement("button");
    b.type = "button";
    b.className = "statusdoc-button";
    b.textContent = text;
    b.title = label;
    b.setAttribute("aria-label", label);
    b.addEventListener("click", action);
    return b;
  }

  function Diagram(box) {
    this.box = box;
    this.viewport = box.querySelector(".statusdoc-viewport");
    this.svg = this.viewport.querySelector("svg");
    var vb = this.svg.viewBox.baseVal;
    this.home = { x: vb.x, y: vb.y, w: vb.width, h: vb.height };
    this.view = { x: vb.x, y: vb.y, w: vb.width, h: vb.height };
    this.pointers = {};
    this.lit = [];
    this.index();
    this.controls();
    this.listen();
    box.classList.add("statusdoc-ready");
  }

  /* node id -> the edges touching it, and the nodes at their other ends */
  Diagram.prototype.index = function () {
    var edges = {};
    var near = {};
    var nodes = {};
    this.svg.querySelectorAll(".statusdoc-state[id]").forEach(function (node) {
      nodes[node.id] = node;
    });
    this.svg.querySelectorAll("[data-from]").forEach(function (edge) {
      var ends = ids(edge.getAttribute("data-from")).concat(ids(edge.getAttribute("data-to")));
      ends.forEach(function (id) {
        (edges[id] = edges[id] || []).push(edge);
        near[id] = (near[id] || []).concat(ends);
      });
    });
    this.nodes = nodes;
    this.edges = edges;
    this.near = near;
  };

  Diagram.prototype.controls = function () {
    var self = this;
    var bar = document.createElement("div");
    bar.className = "statusdoc-controls";
    bar.setAttribute("role", "toolbar");
    bar.setAttribute("aria-label", "Diagram controls");
    bar.appendChild(button("+", "Zoom in (+)", function () { self.zoomBy(STEP); }));
    bar.appendChild(button("\u2212", "Zoom out (\u2212)", function () { self.zoomBy(1 / STEP); }));
    bar.appendChild(button("Fit", "Fit the whole diagram (0)", function () { self.reset(); }));
    this.fullButton = button("Full screen", "Full screen", function () { self.toggleFull(); });
    bar.appendChild(this.fullButton);
    this.box.insertBefore(bar, this.viewport);
    this.viewport.tabIndex = 0;
    this.viewport.setAttribute("role", "group");
    this.viewport.setAttribute(
      "aria-label",
      "Status diagram: + and \u2212 zoom, arrow keys pan, 0 fits; Tab moves to the statuses"
    );
  };

  Diagram.prototype.listen = function () {
    var self = this;
    var vp = this.viewport;
    vp.addEventListener("wheel", function (e) { self.wheel(e); }, { passive: false });
    vp.addEventListener("pointerdown", function (e) { self.down(e); });
    vp.addEventListener("pointermove", function (e) { self.move(e); });
    vp.addEventListener("pointerup", function (e) { self.up(e); });
    vp.addEventListener("pointercancel", function (e) { self.up(e); });
    /* a drag must not end as a click on the link under the pointer */
    vp.addEventListener("click", function (e) {
      if (self.dragged) {
        e.preventDefault();
        e.stopPropagation();
        self.dragged = false;
      }
    }, true);
    this.box.addEventListener("keydown", function (e) { self.key(e); });
    vp.addEventListener("mouseover", function (e) {
      var node = self.statusOf(e.target);
      /* moving from a status onto one of its lit edges (to read its tooltip) keeps the light */
      if (!node && self.current && e.target.closest(".statusdoc-lit")) { return; }
      self.light(node);
    });
    vp.addEventListener("mouseleave", function () { self.light(self.statusOf(document.activeElement)); });
    vp.addEventListener("focusin", function (e) {
      var node = self.statusOf(e.target);
      self.light(node);
      if (node) { self.reveal(node); }
    });
    vp.addEventListener("focusout", function (e) {
      if (!vp.contains(e.relatedTarget)) { self.light(null); }
    });
    document.addEventListener("fullscreenchange", function () { self.fullChanged(); });
  };

  /* -- highlighting ------------------------------------------------------ */

  Diagram.prototype.statusOf = function (el) {
    var node = el && el.closest ? el.closest(".statusdoc-state") : null;
    return node && this.svg.contains(node) ? node : null;
  };

  Diagram.prototype.light = function (node) {
    if (node === this.current) { return; }
    this.current = node;
    this.lit.forEach(function (el) { el.classList.remove("statusdoc-lit", "statusdoc-near"); });
    this.lit = [];
    this.box.classList.toggle("statusdoc-focusing", Boolean(node));
    if (!node) { return; }
    var nodes = this.nodes;
    var lit = this.lit;
    node.classList.add("statusdoc-lit");
    lit.push(node);
    (this.edges[node.id] || []).forEach(function (edge) {
      edge.classList.add("statusdoc-lit");
      lit.push(edge);
    });
    (this.near[node.id] || []).forEach(function (id) {
      var other = nodes[id];
      if (other && other !== node) {
        other.classList.add("statusdoc-near");
        lit.push(other);
      }
    });
  };

  /* -- zoom and pan (by changing the viewBox: the drawing stays sharp) ---- */

  Diagram.prototype.apply = function () {
    var v = this.view;
    this.svg.setAttribute("viewBox", [v.x, v.y, v.w, v.h].join(" "));
    this.box.classList.toggle("statusdoc-zoomed", v.w < this.home.w * 0.999);
  };

  /* the SVG user-space point under client coordinates (x, y) */
  Diagram.prototype.point = function (x, y) {
    var m = this.svg.getScreenCTM();
    if (!m) { return { x: this.view.x + this.view.w / 2, y: this.view.y + this.view.h / 2 }; }
    var p = new DOMPoint(x, y).matrixTransform(m.inverse());
    return { x: p.x, y: p.y };
  };

  Diagram.prototype.centre = function () {
    var r = this.svg.getBoundingClientRect();
    return { x: r.left + r.width / 2, y: r.top + r.height / 2 };
  };

  Diagram.prototype.zoomBy = function (factor, clientX, clientY) {
    if (clientX === undefined) {
      var c = this.centre();
      clientX = c.x;
      clientY = c.y;
    }
    var v = this.view;
    var w = Math.min(this.home.w, Math.max(this.home.w / MAX_ZOOM, v.w / factor));
    var k = w / v.w;
    var p = this.point(clientX, clientY);
    v.x = p.x - (p.x - v.x) * k;
    v.y = p.y - (p.y - v.y) * k;
    v.w = w;
    v.h = v.h * k;
    this.clamp();
    this.apply();
  };

  /* keep the middle of the view over the drawing */
  Diagram.prototype.clamp = function () {
    var v = this.view;
    var h = this.home;
    if (v.w >= h.w) {
      v.x = h.x;
      v.y = h.y;
      v.w = h.w;
      v.h = h.h;
      return;
    }
    v.x = Math.min(Math.max(v.x, h.x - v.w / 2), h.x + h.w - v.w / 2);
    v.y = Math.min(Math.max(v.y, h.y - v.h / 2), h.y + h.h - v.h / 2);
  };

  Diagram.prototype.panBy = function (dxPixels, dyPixels) {
    var m = this.svg.getScreenCTM();
    var scale = m ? m.a : 1;
    this.view.x -= dxPixels / scale;
    this.view.y -= dyPixels / scale;
    this.clamp();
    this.apply();
  };

  Diagram.prototype.reset = function () {
    this.view = { x: this.home.x, y: this.home.y, w: this.home.w, h: this.home.h };
    this.apply();
  };

  /* pan so that a focused node is inside the visible part */
  Diagram.prototype.reveal = function (node) {
    var r = node.getBoundingClientRect();
    var box = this.viewport.getBoundingClientRect();
    var dx = 0;
    var dy = 0;
    if (r.left < box.left) { dx = box.left - r.left + 16; }
    if (r.right > box.right) { dx = box.right - r.right - 16; }
    if (r.top < box.top) { dy = box.top - r.top + 16; }
    if (r.bottom > box.bottom) { dy = box.bottom - r.bottom - 16; }
    if (dx || dy) { this.panBy(dx, dy); }
  };

  Diagram.prototype.wheel = function (e) {
    var active = e.ctrlKey || e.metaKey || this.box.contains(document.activeElement) ||
      this.isFull();
    if (!active) { return; }
    e.preventDefault();
    var delta = e.deltaY * (e.deltaMode === 1 ? 16 : e.deltaMode === 2 ? 400 : 1);
    this.zoomBy(Math.exp(-delta * 0.002), e.clientX, e.clientY);
  };

  Diagram.prototype.down = function (e) {
    if (e.pointerType === "mouse" && e.button !== 0) { return; }
    this.pointers[e.pointerId] = { x: e.clientX, y: e.clientY, x0: e.clientX, y0: e.clientY };
    this.dragged = false;
    this.pinch = null;
  };

  Diagram.prototype.move = function (e) {
    var p = this.pointers[e.pointerId];
    if (!p) { return; }
    var keys = Object.keys(this.pointers);
    if (keys.length === 2) {
      this.pinchMove(e, keys);
      return;
    }
    if (!this.dragged && Math.hypot(e.clientX - p.x0, e.clientY - p.y0) < DRAG_SLOP) { return; }
    if (!this.dragged) {
      this.dragged = true;
      this.viewport.setPointerCapture(e.pointerId);
      this.box.classList.add("statusdoc-dragging");
    }
    this.panBy(e.clientX - p.x, e.clientY - p.y);
    p.x = e.clientX;
    p.y = e.clientY;
  };

  Diagram.prototype.pinchMove = function (e, keys) {
    var p = this.pointers[e.pointerId];
    var a = this.pointers[keys[0]];
    var b = this.pointers[keys[1]];
    var before = Math.hypot(a.x - b.x, a.y - b.y);
    var midX = (a.x + b.x) / 2;
    var midY = (a.y + b.y) / 2;
    p.x = e.clientX;
    p.y = e.clientY;
    var after = Math.hypot(a.x - b.x, a.y - b.y);
    this.dragged = true;
    if (before > 0 && after > 0) { this.zoomBy(after / before, midX, midY); }
    this.panBy((a.x + b.x) / 2 - midX, (a.y + b.y) / 2 - midY);
  };

  Diagram.prototype.up = function (e) {
    delete this.pointers[e.pointerId];
    this.box.classList.remove("statusdoc-dragging");
  };

  Diagram.prototype.key = function (e) {
    if (e.ctrlKey || e.metaKey || e.altKey) { return; }
    if (e.key === "Escape" && this.box.classList.contains("statusdoc-overlay")) {
      this.toggleFull();
      e.preventDefault();
      return;
    }
    if (!this.viewport.contains(e.target)) { return; }
    var pan = 60;
    var actions = {
      "+": function (d) { d.zoomBy(STEP); },
      "=": function (d) { d.zoomBy(STEP); },
      "-": function (d) { d.zoomBy(1 / STEP); },
      "_": function (d) { d.zoomBy(1 / STEP); },
      "0": function (d) { d.reset(); },
      ArrowLeft: function (d) { d.panBy(pan, 0); },
      ArrowRight: function (d) { d.panBy(-pan, 0); },
      ArrowUp: function (d) { d.panBy(0, pan); },
      ArrowDown: function (d) { d.panBy(0, -pan); }
    };
    var action = actions[e.key];
    if (action) {
      action(this);
      e.preventDefault();
    }
  };

  /* -- full screen: the Fullscreen API, else a fixed overlay ---------------- */

  Diagram.prototype.isFull = function () {
    return document.fullscreenElement === this.box ||
      this.box.classList.contains("statusdoc-overlay");
  };

  Diagram.prototype.toggleFull = function () {
    var self = this;
    if (document.fullscreenElement === this.box) {
      document.exitFullscreen();
      return;
    }
    if (this.box.classList.contains("statusdoc-overlay")) {
      this.box.classList.remove("statusdoc-overlay");
      document.documentElement.classList.remove("statusdoc-overlay-open");
      this.fullChanged();
      return;
    }
    var overlay = function () {
      self.box.classList.add("statusdoc-overlay");
      document.documentElement.classList.add("statusdoc-overlay-open");
      self.fullChanged();
    };
    if (document.fullscreenEnabled && this.box.requestFullscreen) {
      this.box.requestFullscreen().catch(overlay);
    } else {
      overlay();
    }
  };

  Diagram.prototype.fullChanged = function () {
    var full = this.isFull();
    this.fullButton.textContent = full ? "Exit full screen" : "Full screen";
    this.fullButton.setAttribute("aria-label", this.fullButton.textContent);
    this.fullButton.title = this.fullButton.textContent;
    this.box.classList.toggle("statusdoc-full", full);
    if (full) { this.viewport.focus(); }
  };

  function start() {
    document.querySelectorAll(".statusdoc-live").forEach(function (box) {
      var svg = box.querySelector(".statusdoc-viewport svg");
      if (!box.classList.contains("statusdoc-ready") && svg && svg.viewBox.baseVal) {
        new Diagram(box);
      }
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
