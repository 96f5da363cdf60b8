package inbroker

import (
	"bytes"
	"sync"

	mqtt "github.com/mochi-mqtt/server/v2"
	"github.com/mochi-mqtt/server/v2/hooks/storage"
	"github.com/mochi-mqtt/server/v2/packets"

	"qosplayground/app/mochibroker"
)

// memory is what a persistent in-tab broker keeps across its restarts: the
// persistent sessions, their subscriptions and their queued and in-flight
// QoS 1 and 2 messages, and the retained messages. It lives in the tab's
// memory, beside the broker instances that come and go, and dies with the
// tab: a reload starts empty. (There is no disk to write to; IndexedDB would
// do, but a lesson about broker restarts does not need sessions to outlive
// the page.)
type memory struct {
	// mu guards the maps.
	mu       sync.Mutex
	clients  map[string]storage.Client       // by client id
	subs     map[string]storage.Subscription // by client id + "\x00" + filter
	inflight map[string]storage.Message      // by client id + "\x00" + packet id
	retained map[string]storage.Message      // by topic
}

func newMemory() *memory {
	m := new(memory)
	m.clear()
	return m
}

// clear forgets everything: persistence off.
func (m *memory) clear() {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.clients = map[string]storage.Client{}
	m.subs = map[string]storage.Subscription{}
	m.inflight = map[string]storage.Message{}
	m.retained = map[string]storage.Message{}
}

// storeHook is the mochi storage hook of one broker instance, writing to the
// memory that outlives it. Every change is written as it happens, as
// mochi's bolt hook does on the server's embedded broker.
//
// A crash freezes the hook before the connections are cut (see
// Broker.Restart), so that nothing mochi does while it is torn down reaches
// the memory: a crashed broker writes nothing on its way down. Since every
// change before the crash was already written, a crash loses nothing that a
// clean stop keeps; unlike Mosquitto, which saves on a timer.
type storeHook struct {
	mqtt.HookBase
	m  *memory
	fz mochibroker.Freezer // held for reading by every write to m
}

// ID names the hook in mochi's logs.
func (h *storeHook) ID() string { return "intab-memory-store" }

// Provides says which hooks the store answers.
func (h *storeHook) Provides(b byte) bool {
	return bytes.Contains([]byte{
		mqtt.OnSessionEstablished, mqtt.OnWillSent, mqtt.OnDisconnect, mqtt.OnClientExpired,
		mqtt.OnSubscribed, mqtt.OnUnsubscribed,
		mqtt.OnRetainMessage, mqtt.OnRetainedExpired,
		mqtt.OnQosPublish, mqtt.OnQosComplete, mqtt.OnQosDropped,
		mqtt.StoredClients, mqtt.StoredSubscriptions, mqtt.StoredInflightMessages, mqtt.StoredRetainedMessages,
	}, []byte{b})
}

// Freeze makes every later write a no-op. It never fails.
func (h *storeHook) Freeze() error { return h.fz.Freeze(nil) }

// write runs f on the memory, locked, unless the hook is frozen.
func (h *storeHook) write(f func(m *memory)) {
	h.fz.Write(func() {
		h.m.mu.Lock()
		defer h.m.mu.Unlock()
		f(h.m)
	})
}

func subKey(client, filter string) string { return client + "\x00" + filter }

func inflightKey(client string, pk packets.Packet) string {
	return client + "\x00" + pk.FormatID()
}

// OnSessionEstablished and OnWillSent store the client.
func (h *storeHook) OnSessionEstablished(cl *mqtt.Client, _ packets.Packet) { h.storeClient(cl) }

// OnWillSent stores the client, whose will is now spent.
func (h *storeHook) OnWillSent(cl *mqtt.Client, _ packets.Packet) { h.storeClient(cl) }

func (h *storeHook) storeClient(cl *mqtt.Client) {
	props := cl.Properties.Props.Copy(false)
	c := storage.Client{
		ID: cl.ID, T: storage.ClientKey, Remote: cl.Net.Remote, Listener: cl.Net.Listener,
		Username: cl.Properties.Username, Clean: cl.Properties.Clean, ProtocolVersion: cl.Properties.ProtocolVersion,
		Properties: storage.ClientProperties{
			SessionExpiryInterval: props.SessionExpiryInterval,
			ReceiveMaximum:        props.ReceiveMaximum,
			TopicAliasMaximum:     props.TopicAliasMaximum,
			MaximumPacketSize:     props.MaximumPacketSize,
			User:                  props.User,
		},
		Will: storage.ClientWill(cl.Properties.Will),
	}
	h.write(func(m *memory) { m.clients[cl.ID] = c })
}

// OnDisconnect forgets a clean session when it ends (not when a new
// connection took it over).
func (h *storeHook) OnDisconnect(cl *mqtt.Client, _ error, expire bool) {
	if !expire || cl.StopCause() == packets.ErrSessionTakenOver {
		return
	}
	h.forget(cl.ID)
}

// OnClientExpired forgets a session mochi expired.
func (h *storeHook) OnClientExpired(cl *mqtt.Client) { h.forget(cl.ID) }

// forget removes a session with its subscriptions and messages.
func (h *storeHook) forget(id string) {
	h.write(func(m *memory) {
		delete(m.clients, id)
		for k, s := range m.subs {
			if s.Client == id {
				delete(m.subs, k)
			}
		}
		for k, msg := range m.inflight {
			if msg.Client == id {
				delete(m.inflight, k)
			}
		}
	})
}

// OnSubscribed stores the subscriptions with the QoS granted.
func (h *storeHook) OnSubscribed(cl *mqtt.Client, pk packets.Packet, reasonCodes []byte) {
	h.write(func(m *memory) {
		for i, f := range pk.Filters {
			if i >= len(reasonCodes) || reasonCodes[i] >= 0x80 {
				continue // refused
			}
			m.subs[subKey(cl.ID, f.Filter)] = storage.Subscription{
				ID: subKey(cl.ID, f.Filter), T: storage.SubscriptionKey, Client: cl.ID,
				Filter: f.Filter, Qos: reasonCodes[i], Identifier: f.Identifier,
				NoLocal: f.NoLocal, RetainHandling: f.RetainHandling, RetainAsPublished: f.RetainAsPublished,
			}
		}
	})
}

// OnUnsubscribed removes the subscriptions.
func (h *storeHook) OnUnsubscribed(cl *mqtt.Client, pk packets.Packet) {
	h.write(func(m *memory) {
		for _, f := range pk.Filters {
			delete(m.subs, subKey(cl.ID, f.Filter))
		}
	})
}

// OnRetainMessage stores a retained message, or removes it (r == -1).
func (h *storeHook) OnRetainMessage(cl *mqtt.Client, pk packets.Packet, r int64) {
	if r == -1 {
		h.OnRetainedExpired(pk.TopicName)
		return
	}
	msg := message(storage.RetainedKey, pk.TopicName, cl.ID, pk)
	h.write(func(m *memory) { m.retained[pk.TopicName] = msg })
}

// OnRetainedExpired removes a retained message.
func (h *storeHook) OnRetainedExpired(topicName string) {
	h.write(func(m *memory) { delete(m.retained, topicName) })
}

// OnQosPublish stores a QoS 1 or 2 message queued or in flight to cl, with
// its packet id (mochi's bolt hook leaves the id out, and a message restored
// without one locks its client out: see server/broker's store).
func (h *storeHook) OnQosPublish(cl *mqtt.Client, pk packets.Packet, sent int64, _ int) {
	msg := message(storage.InflightKey, inflightKey(cl.ID, pk), cl.ID, pk)
	msg.Sent = sent
	h.write(func(m *memory) { m.inflight[msg.ID] = msg })
}

// OnQosComplete removes a message whose exchange is complete.
func (h *storeHook) OnQosComplete(cl *mqtt.Client, pk packets.Packet) {
	h.write(func(m *memory) { delete(m.inflight, inflightKey(cl.ID, pk)) })
}

// OnQosDropped removes a message mochi gave up on.
func (h *storeHook) OnQosDropped(cl *mqtt.Client, pk packets.Packet) { h.OnQosComplete(cl, pk) }

// message copies pk for the store.
func message(kind, id, client string, pk packets.Packet) storage.Message {
	props := pk.Properties.Copy(false)
	return storage.Message{
		ID: id, T: kind, Client: client, Origin: pk.Origin,
		FixedHeader: pk.FixedHeader, TopicName: pk.TopicName,
		Payload: append([]byte(nil), pk.Payload...), Created: pk.Created, PacketID: pk.PacketID,
		Properties: storage.MessageProperties{
			PayloadFormat: props.PayloadFormat, PayloadFormatFlag: props.PayloadFormatFlag,
			MessageExpiryInterval: props.MessageExpiryInterval, ContentType: props.ContentType,
			ResponseTopic: props.ResponseTopic, CorrelationData: props.CorrelationData,
			User: props.User,
		},
	}
}

// StoredClients returns the stored sessions, for a new broker to load.
func (h *storeHook) StoredClients() ([]storage.Client, error) {
	h.m.mu.Lock()
	defer h.m.mu.Unlock()
	v := make([]storage.Client, 0, len(h.m.clients))
	for _, c := range h.m.clients {
		v = append(v, c)
	}
	return v, nil
}

// StoredSubscriptions returns the stored subscriptions.
func (h *storeHook) StoredSubscriptions() ([]storage.Subscription, error) {
	h.m.mu.Lock()
	defer h.m.mu.Unlock()
	v := make([]storage.Subscription, 0, len(h.m.subs))
	for _, s := range h.m.subs {
		v = append(v, s)
	}
	return v, nil
}

// StoredInflightMessages returns the stored QoS 1 and 2 messages.
func (h *storeHook) StoredInflightMessages() ([]storage.Message, error) {
	h.m.mu.Lock()
	defer h.m.mu.Unlock()
	v := make([]storage.Message, 0, len(h.m.inflight))
	for _, msg := range h.m.inflight {
		v = append(v, msg)
	}
	return v, nil
}

// StoredRetainedMessages returns the stored retained messages.
func (h *storeHook) StoredRetainedMessages() ([]storage.Message, error) {
	h.m.mu.Lock()
	defer h.m.mu.Unlock()
	v := make([]storage.Message, 0, len(h.m.retained))
	for _, msg := range h.m.retained {
		v = append(v, msg)
	}
	return v, nil
}
