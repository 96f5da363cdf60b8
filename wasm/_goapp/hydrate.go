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

import "github.com/maxence-charriere/go-app/v9/pkg/errors"

// hydrateSlot is a place in the page that the next node mounted may take
// over: the child at index of parent.
type hydrateSlot struct {
	parent  Value
	index   int
	adopted bool
}

// hydrateAt is the place the next htmlElement or text mounted may take
// over, nil outside the first mount. Each mount that can take a node reads
// it and sets it to nil before mounting its children.
var hydrateAt *hydrateSlot

// hydrateJS holds the helpers below, made on first use: one call into the
// page for each node instead of one per property read.
var hydrateJS Value

const hydrateSrc = `const HTML = "http://www.w3.org/1999/xhtml";
return {
	// take: p's child at i when it can stand for an element tag of namespace
	// ns, or with tag "" for a text node (its text set to s); else null. Text
	// and comments where an element goes are removed.
	take(p, i, tag, ns, s) {
		const cs = p.childNodes;
		for (let n = cs[i]; n; n = cs[i]) {
			if (tag === "") {
				if (n.nodeType !== 3) return null;
				if (n.data !== s) n.data = s;
				return n;
			}
			if (n.nodeType === 1) return n.localName === tag && n.namespaceURI === (ns || HTML) ? n : null;
			n.remove();
		}
		return null;
	},
	// attrs removes el's attributes whose name is not in keep ("\n" around each).
	attrs(el, keep) {
		for (const a of Array.from(el.attributes)) if (!keep.includes("\n" + a.name + "\n")) el.removeAttribute(a.name);
	},
	// put puts n at index i of p's children.
	put(p, i, n) { p.insertBefore(n, p.childNodes[i] || null); },
	// trim removes p's children from index i on.
	trim(p, i) { while (p.childNodes.length > i) p.lastChild.remove(); },
	// indexOf is n's index among p's children.
	indexOf(p, n) { return Array.prototype.indexOf.call(p.childNodes, n); },
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

// take returns the slot's node when it can stand for an element (tag,
// xmlns) or, with tag "", for a text node of text s; nil otherwise.
func (s *hydrateSlot) take(tag, xmlns, text string) Value {
	n := hydrateHelpers().Call("take", s.parent, s.index, tag, xmlns, text)
	if !n.Truthy() {
		return nil
	}
	s.adopted = true
	return n
}

// hydrateAttrs removes the attributes of a taken-over element that the live
// render does not have; the mount then sets the others as usual. value,
// checked, selected and muted go too: go-app sets them as properties, which
// do not reflect to these attributes, so a created element has none.
func hydrateAttrs(el Value, a attributes) {
	keep := "\n"
	for name := range a {
		switch name {
		case "value", "checked", "selected", "muted":
		default:
			keep += name + "\n"
		}
	}
	hydrateHelpers().Call("attrs", el, keep)
}

// mountChildAt mounts child c of e, the i-th, e's node taken over from
// the page: c takes over the node at i if it can, else its new node is
// put there.
func (e *htmlElement) mountChildAt(d Dispatcher, i int, c UI) error {
	s := &hydrateSlot{parent: e.jsElement, index: i}
	hydrateAt = s
	err := mount(d, c)
	hydrateAt = nil
	if err != nil {
		return err
	}
	if !s.adopted {
		hydrateHelpers().Call("put", e.jsElement, i, c)
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
	s := &hydrateSlot{
		parent: e.JSValue(),
		index:  hydrateHelpers().Call("indexOf", e.JSValue(), old).Int(),
	}
	hydrateAt = s
	err := mount(e.getDispatcher(), new)
	hydrateAt = nil
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
