package gateway

import (
	"sync"
	"sync/atomic"
	"time"

	"github.com/coder/websocket"

	"qosplayground/app/fault"
	"qosplayground/app/netcond"
)

// Network conditions (fault command "net", package netcond).
//
// A tab sets the latency, jitter and bandwidth of its own connection with
// a "net" command on /mqtt, like any fault command: it acts only on the
// connection that carried it. The first one starts, for each direction, a
// link: the chain of stages bandwidth → latency (the line sends the bytes,
// then they travel), one goroutine each, and a goroutine that writes what
// leaves the chain to the broker or the browser. From then on everything
// written that way goes through the link, in order; a later command
// changes the numbers for the packets that follow, and all zero makes the
// link perfect again but keeps it, so that nothing overtakes what is
// still on its way.
//
// Until a tab sends "net", a write costs one atomic load more than it did
// and nothing else: no goroutine, no copy (TestNetOffCostsNothing).
//
// A link that is full (netcond.QueueLen chunks waiting in a stage) blocks
// the pump that writes into it, which stops reading its side: the sender
// is slowed down as by a real thin link.
//
// A cut (fault commands) closes both sides at once: packets still on a
// slow link are lost with it, as on a real network that fails.

// netState is the network conditions of one relay.
type netState struct {
	cond atomic.Pointer[netcond.Conditions]
	// up and down are the links, nil until the first "net" command.
	up, down atomic.Pointer[link]

	// done is closed when the relay stops (relay.stop), ending the links;
	// set, with the links, under relay.mu.
	done chan struct{}
	wg   sync.WaitGroup // the links' writers
}

// link is one direction's chain of stages.
type link struct {
	in   chan<- netcond.Chunk
	done <-chan struct{}
}

// push queues a copy of pkts on the link (the caller's buffer is reused
// once it returns). It returns true when the relay has stopped.
func (l *link) push(pkts []byte) (closeReason, bool) {
	c := netcond.Chunk{Data: append([]byte(nil), pkts...), At: time.Now()}
	select {
	case l.in <- c:
		return closeReason{}, false
	case <-l.done:
		return closeReason{websocket.StatusNormalClosure, "connection closed"}, true
	}
}

// setConditions applies a "net" command; it runs on the pump that reads
// the tab's messages, between two reads.
func (rl *relay) setConditions(c netcond.Conditions) {
	n := &rl.net
	n.cond.Store(&c)
	rl.log.Info("network conditions", "net", c.String())
	rl.mu.Lock()
	defer rl.mu.Unlock()
	if rl.stopped || n.done != nil {
		return // stopping, or the links run already and read cond
	}
	n.done = make(chan struct{})
	n.up.Store(rl.startLink(fault.Up, rl.sendBrokerNow))
	n.down.Store(rl.startLink(fault.Down, rl.sendNow))
}

// startLink starts the stages of direction dir and the goroutine that
// writes what leaves them with write; rl.mu is held.
func (rl *relay) startLink(dir fault.Dir, write func([]byte) (closeReason, bool)) *link {
	n := &rl.net
	kbps := func() int { return n.cond.Load().DownKbps }
	if dir == fault.Up {
		kbps = func() int { return n.cond.Load().UpKbps }
	}
	clock := netcond.RealClock{}
	in, out := netcond.Chain(n.done,
		&netcond.Bandwidth{Kbps: kbps, Clock: clock},
		&netcond.Latency{Delay: func() (time.Duration, time.Duration) {
			c := n.cond.Load()
			return c.Latency(), c.Jitter()
		}, Clock: clock},
	)
	n.wg.Add(1)
	go func() {
		defer n.wg.Done()
		for c := range out {
			if why, end := write(c.Data); end {
				rl.stop(why)
				return
			}
		}
	}()
	return &link{in: in, done: n.done}
}
