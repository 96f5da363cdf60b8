package broker

import (
	"context"
	"log/slog"
	"strconv"
	"strings"

	mqtt "github.com/mochi-mqtt/server/v2"
	"github.com/mochi-mqtt/server/v2/hooks/storage"
	"github.com/mochi-mqtt/server/v2/hooks/storage/bolt"
	"github.com/mochi-mqtt/server/v2/packets"
	"github.com/mochi-mqtt/server/v2/system"
	"go.etcd.io/bbolt"

	"qosplayground/app/mochibroker"
)

// storeOptions configures the bolt hook to keep its database at path.
//
// NoSync: see embeddedBroker. NoFreelistSync and the map freelist save more
// writes per commit (bolt rebuilds the freelist when it opens the file); the
// store still commits once per change, twice per QoS 1 delivery, which makes
// the embedded broker two to three times slower in a burst than without it.
// Timeout: bolt locks the file, and without a timeout a second server on the
// same data directory would wait forever.
func storeOptions(path string) any {
	return &bolt.Options{
		Path: path,
		Options: &bbolt.Options{
			Timeout:        embeddedStoreLockWait,
			NoSync:         true,
			NoFreelistSync: true,
			FreelistType:   bbolt.FreelistMapType,
		},
	}
}

// freezableStore is mochi's bolt storage hook with a switch that stops every
// write at once: what the store holds at that instant is what a broker process
// killed at that instant would leave on disk.
//
// The embedded broker runs in the server's process, so there is no process to
// kill. Its emulated crash freezes the store first and only then tears the
// mochi server down: without the freeze, mochi's orderly shutdown (clients
// disconnected one by one, each with its hooks) would keep writing, which a
// crashed broker never does.
//
// The lock also fixes a race in the bolt hook itself: its Stop sets the
// database to nil with no lock while client goroutines may still be writing.
// Here no write runs concurrently with Stop, and none runs after it.
type freezableStore struct {
	*bolt.Hook

	// fz is read-locked around every call into the bolt hook that touches
	// its database, and locked to freeze it.
	fz mochibroker.Freezer
}

// newFreezableStore wraps a new, not yet initialised, bolt hook.
func newFreezableStore() *freezableStore {
	return &freezableStore{Hook: new(bolt.Hook)}
}

// ID names the hook in mochi's logs.
func (s *freezableStore) ID() string { return "playground-bolt" }

// Freeze closes the database; later writes are dropped. It is idempotent and
// returns the result of closing the database.
func (s *freezableStore) Freeze() error { return s.fz.Freeze(s.Hook.Stop) }

// write runs f unless the store is frozen.
func (s *freezableStore) write(f func()) { s.fz.Write(f) }

// Stop is mochi's orderly shutdown of the hook: it freezes the store.
func (s *freezableStore) Stop() error { return s.Freeze() }

// StoredInflightMessages returns the stored in-flight and queued messages
// with their packet ids. mochi v2.7.9's bolt hook does not store the id (its
// badger and pebble hooks do), and a restored message without one makes mochi
// drop the reconnecting client ("resend inflight: protocol violation: missing
// packet id") at every attempt: the session could never be resumed. The id is
// also the end of the storage key ("IFM_<client>:<id>"), so it is read back
// from there. A message whose id cannot be recovered is left out, and logged,
// rather than locking its client out.
func (s *freezableStore) StoredInflightMessages() ([]storage.Message, error) {
	v, err := s.Hook.StoredInflightMessages()
	kept := v[:0]
	for _, m := range v {
		if m.PacketID == 0 {
			if i := strings.LastIndexByte(m.ID, ':'); i >= 0 {
				if n, perr := strconv.ParseUint(m.ID[i+1:], 10, 16); perr == nil {
					m.PacketID = uint16(n)
				}
			}
		}
		if m.PacketID == 0 {
			s.Log.Warn("broker: dropping a stored message without a packet id", "key", m.ID)
			continue
		}
		kept = append(kept, m)
	}
	return kept, err
}

// SetOpts hands the bolt hook mochi's logger with one line toned down: on a
// new, empty store the hook logs the missing $SYS record at Error ("failed to
// get data", key=SYS, "key not found") although nothing is wrong.
func (s *freezableStore) SetOpts(l *slog.Logger, opts *mqtt.HookOptions) {
	s.Hook.SetOpts(slog.New(quietMissingSysInfo{l.Handler()}), opts)
}

// quietMissingSysInfo logs the bolt hook's complaint about a missing $SYS
// record at Debug, and everything else as it comes.
type quietMissingSysInfo struct{ slog.Handler }

func (h quietMissingSysInfo) Handle(ctx context.Context, r slog.Record) error {
	if r.Message == "failed to get data" && r.Level == slog.LevelError {
		missingSys := false
		r.Attrs(func(a slog.Attr) bool {
			if a.Key == "key" && a.Value.String() == storage.SysInfoKey {
				missingSys = true
			}
			return !missingSys
		})
		if missingSys {
			if !h.Handler.Enabled(ctx, slog.LevelDebug) {
				return nil
			}
			r.Level = slog.LevelDebug
		}
	}
	return h.Handler.Handle(ctx, r)
}

func (h quietMissingSysInfo) WithAttrs(attrs []slog.Attr) slog.Handler {
	return quietMissingSysInfo{h.Handler.WithAttrs(attrs)}
}

func (h quietMissingSysInfo) WithGroup(name string) slog.Handler {
	return quietMissingSysInfo{h.Handler.WithGroup(name)}
}

// The methods below pass each write on to the bolt hook unless frozen.

func (s *freezableStore) OnSessionEstablished(cl *mqtt.Client, pk packets.Packet) {
	s.write(func() { s.Hook.OnSessionEstablished(cl, pk) })
}

func (s *freezableStore) OnWillSent(cl *mqtt.Client, pk packets.Packet) {
	s.write(func() { s.Hook.OnWillSent(cl, pk) })
}

func (s *freezableStore) OnDisconnect(cl *mqtt.Client, err error, expire bool) {
	s.write(func() { s.Hook.OnDisconnect(cl, err, expire) })
}

func (s *freezableStore) OnSubscribed(cl *mqtt.Client, pk packets.Packet, reasonCodes []byte) {
	s.write(func() { s.Hook.OnSubscribed(cl, pk, reasonCodes) })
}

func (s *freezableStore) OnUnsubscribed(cl *mqtt.Client, pk packets.Packet) {
	s.write(func() { s.Hook.OnUnsubscribed(cl, pk) })
}

func (s *freezableStore) OnRetainMessage(cl *mqtt.Client, pk packets.Packet, r int64) {
	s.write(func() { s.Hook.OnRetainMessage(cl, pk, r) })
}

func (s *freezableStore) OnQosPublish(cl *mqtt.Client, pk packets.Packet, sent int64, resends int) {
	s.write(func() { s.Hook.OnQosPublish(cl, pk, sent, resends) })
}

func (s *freezableStore) OnQosComplete(cl *mqtt.Client, pk packets.Packet) {
	s.write(func() { s.Hook.OnQosComplete(cl, pk) })
}

func (s *freezableStore) OnQosDropped(cl *mqtt.Client, pk packets.Packet) {
	s.write(func() { s.Hook.OnQosDropped(cl, pk) })
}

func (s *freezableStore) OnSysInfoTick(sys *system.Info) {
	s.write(func() { s.Hook.OnSysInfoTick(sys) })
}

func (s *freezableStore) OnRetainedExpired(filter string) {
	s.write(func() { s.Hook.OnRetainedExpired(filter) })
}

func (s *freezableStore) OnClientExpired(cl *mqtt.Client) {
	s.write(func() { s.Hook.OnClientExpired(cl) })
}
