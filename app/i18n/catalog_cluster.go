package i18n

// A clustered broker (NATS Server): why the page cannot restart it, and
// what differs from Mosquitto for the lessons.
var (
	BrokerNATSCluster = Msg{"a NATS Server cluster", "NATS Server のクラスター"}
	RestartWhyCluster = Msg{
		"the broker is a cluster of NATS Server nodes that every class shares: a restart from this page would stop them all, so it is not offered. Each session is kept on every node; when a node dies, the tab reconnects to another and its session continues.",
		"ブローカーはすべてのクラスが共有する NATS Server のクラスターです。このページから再起動するとすべてのクラスが止まってしまうため、この操作は用意していません。セッションはすべてのノードに保存されているので、ノードが停止してもタブは別のノードに再接続し、セッションはそのまま続きます。",
	}
	NATSDiffHeading = Msg{"On this broker (NATS Server), unlike Mosquitto:", "このブローカー（NATS Server）では、Mosquitto と次の点が異なります。"}
	NATSDiffTopics  = Msg{
		"A topic or filter with white space in it (a space, a tab, a line break) is refused.",
		"空白（スペース・タブ・改行）を含むトピックやフィルターは受け付けられません。",
	}
	NATSDiffRedeliver = Msg{
		"A QoS 1 or 2 message that is not acknowledged within 10 seconds is sent again, even while the connection stays up.",
		"10 秒以内に ACK が返らない QoS 1・2 のメッセージは、接続が切れていなくても再送されます。",
	}
	NATSDiffQoS2 = Msg{
		"When a node dies, NATS Server 2.15.3 can send a QoS 2 message again with a new packet ID (so it arrives twice), or lose one whose exchange was under way. QoS 2 alone is not exactly once here: the subscriber's duplicate detection (Exercise 2) is what catches the copy.",
		"ノードが停止したとき、NATS Server 2.15.3 は QoS 2 のメッセージを新しいパケット ID で再送する（2 回届く）ことや、やり取りの途中だったメッセージを失うことがあります。ここでは QoS 2 だけで「正確に1回」にはなりません。重複を捕まえるのは購読側の重複検出（Exercise 2）です。",
	}
	NATSDiffExpiry = Msg{
		"A persistent session never expires by itself.",
		"永続セッションは自動では期限切れになりません。",
	}
	NATSDiffMQTT5 = Msg{
		"Only MQTT 3.1.1: an MQTT 5 connection is refused.",
		"MQTT 3.1.1 のみに対応しており、MQTT 5 の接続は拒否されます。",
	}
)
