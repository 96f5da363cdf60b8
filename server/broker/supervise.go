package broker

import "time"

// restartLoop is the loop of both supervisors (a Mosquitto child, a NATS
// node), written once: wait first, call attempt, and while attempt says
// it is not done wait twice as long as before, at most limit, and try
// again; stop at once when closing closes. attempt gets the wait before
// its next try, so that a failure's log line can say it.
func restartLoop(closing <-chan struct{}, first, limit time.Duration, attempt func(next time.Duration) (done bool)) {
	wait := first
	for {
		t := time.NewTimer(wait)
		select {
		case <-closing:
			t.Stop()
			return
		case <-t.C:
		}
		next := min(2*wait, limit)
		if attempt(next) {
			return
		}
		wait = next
	}
}
