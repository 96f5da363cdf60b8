package inbroker

import mqtt "github.com/mochi-mqtt/server/v2"

// AddHookForTest adds a hook to the running mochi server, starting it if it
// is not running: tests place faults inside mochi with it. A restart drops
// it.
func (b *Broker) AddHookForTest(h mqtt.Hook) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.srv == nil {
		if err := b.start(); err != nil {
			return err
		}
	}
	return b.srv.AddHook(h)
}
