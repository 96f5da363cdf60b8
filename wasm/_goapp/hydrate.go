// This file is not part of the qosplayground module: see nohttp_wasm.go.
// It is added to go-app v9.8.0's pkg/app in the browser build, with the
// changed html.go, text.go and engine.go that use it (each marked
// "hydration:").
//
// Hydration: go-app's first mount replaced the server's pre-rendered page
// with a new tree, every element created, given its attributes and
// appended again through syscall/js, and then styled and laid out again by
// the browser, in the task that starts the Go program (bench/README.md, "3,
// phone profile"). The first mount now takes over the pre-rendered nodes
// instead: where the live render has an element of the same tag and
// namespace (or a text node) at the same place as the page, that node is
// kept; its attributes are set as go-app's mount sets them, those the live
// render does not have are removed, its text is set where it differs, and
// go-app's event handlers are added to it. Nodes are created only where the
// two differ, and what the page has beyond the live render goes (the
// pre-render's whitespace between elements among it). Every later mount
// creates its nodes as upstream does.

package app

import (
	"strings"

	"github.com/maxence-charriere/go-app/v9/pkg/errors"
)

// hydrateSlot is the place in the page where the next node mounted goes:
// the cursor of the page's helpers (hydrateSrc). adopted says whether that
// node took over the page's node there.
type hydrateSlot struct {
	adopted bool
}

// hydrateAt is the place the next htmlElement or text mounted may take
// over, nil outside the first mount. Each mount that can take a node reads
// it and sets it to nil before mounting its children.
var hydrateAt *hydrateSlot

// hydrateJS holds the helpers below, made on first use.
var hydrateJS Value

// hydrateSrc: the helpers that walk the page, one call per node. A stack
// of [parent, cursor]: the cursor is the page's node where the next node
// of the live render goes.
const hydrateSrc = `const HTML = "http://www.w3.org/1999/xhtml";
const stack = [];
const bools = new Set(["async", "autofocus", "autoplay", "checked", "default", "defer", "disabled", "hidden", "loop", "multiple", "muted", "open", "required", "reversed", "selected"]);
const bool = (v) => v === "1" || v === "t" || v === "T" || v === "true" || v === "TRUE" || v === "True";
// set is go-app's setJSAttribute (attribute.go), which skips what is
// there already.
const set = (el, k, v) => {
	switch (k) {
	case "value": el.value = v; return;
	case "class": if (el.getAttribute("class") !== v) el.className = v; return;
	case "contenteditable": el.contentEditable = v; return;
	case "ismap": el.isMap = bool(v); return;
	case "readonly": el.readOnly = bool(v); return;
	}
	if (bools.has(k)) el[k] = bool(v);
	else if (el.getAttribute(k) !== v) el.setAttribute(k, v);
};
return {
	// root starts at node n of p.
	root(p, n) { stack.length = 0; stack.push([p, n]); },
	// take: the node at the cursor when it can stand for an element tag of
	// namespace ns, or with tag "" for a text node (its text set to s);
	// else null. Text and comments where an element goes are removed. An
	// element taken gets the attributes of attrs ("name\0value\0…") as
	// go-app's mount sets them, loses the others, and its children are
	// walked next, until leave.
	take(tag, ns, s, attrs) {
		const f = stack[stack.length - 1];
		let n = f[1];
		if (tag === "") {
			if (!n || n.nodeType !== 3) return null;
			if (n.data !== s) n.data = s;
			f[1] = n.nextSibling;
			return n;
		}
		while (n && n.nodeType !== 1) { const x = n.nextSibling; n.remove(); n = x; }
		f[1] = n;
		if (!n || n.localName !== tag || n.namespaceURI !== (ns || HTML)) return null;
		f[1] = n.nextSibling;
		const kv = attrs === "" ? [] : attrs.split("\0"), want = new Map();
		for (let j = 0; j < kv.length; j += 2) want.set(kv[j], kv[j + 1]);
		const as = n.attributes;
		for (let j = as.length - 1; j >= 0; j--) {
			const k = as[j].name;
			// go-app sets these as properties, which do not reflect to
			// the attribute: an element it creates has none.
			if (!want.has(k) || k === "value" || k === "checked" || k === "selected" || k === "muted") n.removeAttribute(k);
		}
		for (const [k, v] of want) set(n, k, v);
		stack.push([n, n.firstChild]);
		return n;
	},
	// put puts n at the cursor.
	put(n) { const f = stack[stack.length - 1]; f[0].insertBefore(n, f[1]); },
	// leave removes what the page has beyond the live render's children.
	leave() { for (let n = stack.pop()[1]; n; ) { const x = n.nextSibling; n.remove(); n = x; } },
	// done ends the walk.
	done() { stack.length = 0; },
};`

func hydrateHelpers() Value {
	if hydrateJS == nil {
		hydrateJS = Window().Get("Function").New(hydrateSrc).Invoke()
	}
	return hydrateJS
}

// takeHydrateSlot returns the place the node being mounted may take over,
// or nil, and clears it for the node's children.
func takeHydrateSlot() *hydrateSlot {
	s := hydrateAt
	hydrateAt = nil
	return s
}

// takeElement returns the page's element at the slot when it has e's tag,
// its attributes made e's; nil otherwise.
func (s *hydrateSlot) takeElement(e *htmlElement, resolve attributeURLResolver) Value {
	var attrs strings.Builder
	for name, value := range e.attributes {
		if attrs.Len() > 0 {
			attrs.WriteByte(0)
		}
		attrs.WriteString(name)
		attrs.WriteByte(0)
		attrs.WriteString(resolveAttributeURLValue(name, value, resolve))
	}
	return s.take(e.tag, e.xmlns, "", attrs.String())
}

func (s *hydrateSlot) take(tag, xmlns, text, attrs string) Value {
	n := hydrateHelpers().Call("take", tag, xmlns, text, attrs)
	if !n.Truthy() {
		return nil
	}
	s.adopted = true
	return n
}

// mountChildAt mounts child c of e, e's node taken over from the page: c
// takes over the page's node at the cursor if it can, else its new node is
// put there.
func (e *htmlElement) mountChildAt(d Dispatcher, c UI) error {
	s := &hydrateSlot{}
	hydrateAt = s
	err := mount(d, c)
	hydrateAt = nil
	if err != nil {
		return err
	}
	if !s.adopted {
		hydrateHelpers().Call("put", c)
	}
	return nil
}

// hydrateChildAt is replaceChildAt for the first mount: new takes over
// the page's node of the child at idx where it can.
//
// A page that sets window.__goappNoHydrate before the wasm runs gets
// upstream's first mount: the browser tests compare the two drawings.
func (e *htmlElement) hydrateChildAt(idx int, new UI) error {
	if Window().Get("__goappNoHydrate").Truthy() {
		return e.replaceChildAt(idx, new)
	}
	old := e.children[idx]
	hydrateHelpers().Call("root", e.JSValue(), old)
	s := &hydrateSlot{}
	hydrateAt = s
	err := mount(e.getDispatcher(), new)
	hydrateAt = nil
	hydrateHelpers().Call("done")
	if err != nil {
		return errors.New("replacing child failed").
			WithTag("name", e.name()).
			WithTag("index", idx).
			WithTag("new-name", new.name()).
			Wrap(err)
	}

	e.children[idx] = new
	new.setParent(e.self())
	if !s.adopted {
		e.JSValue().replaceChild(new, old)
	}

	dismount(old)
	return nil
}
