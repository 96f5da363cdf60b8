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
		"QoS 2 may not be exactly once on this cluster: NATS Server 2.15.3 as released, when a connection is cut (the network blips above) or a node dies, can send a QoS 2 message again with a new packet ID, so that it arrives twice, and can lose a few. Nodes run from this playground's own program carry a fix for both. The subscriber's duplicate detection (Exercise 2) catches a copy; nothing brings back a lost one. QoS 1 loses nothing.",
		"このクラスターでは QoS 2 が「正確に1回」にならないことがあります。配布版の NATS Server 2.15.3 は、接続が切れたとき（上の「ネットワーク瞬断の集計」）やノードが停止したとき、QoS 2 のメッセージを新しいパケット ID で再送して 2 回届かせることがあり、いくつか失うこともあります。このプレイグラウンド自身のプログラムで動かしたノードでは、どちらも修正済みです。重複は購読側の重複検出（Exercise 2）で捕まえられますが、失われたメッセージは戻りません。QoS 1 は何も失いません。",
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
