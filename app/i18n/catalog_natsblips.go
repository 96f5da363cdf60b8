package i18n

// The fault lab's random-cut run explained on a NATS cluster: what NATS
// Server does, not what Mosquitto or mochi-mqtt do.
var (
	BlipsExplain2NATS = Msg{
		"QoS 2 on this NATS cluster: %d lost, and %d copies reached the application although the session was kept. This is the broker's doing, not MQTT's: after a cut, NATS Server 2.15.3 as released sends a QoS 2 message again under a new packet id, so no receiver can tell it from a new message, and it can lose a message whose PUBREL it was storing when the connection broke. On Mosquitto, and on the NATS nodes this playground runs itself (they carry a fix), the same run gives none of either. Only the application's duplicate detection by message_id catches the copies (%d processed twice); nothing brings a lost message back.",
		"この NATS クラスターでの QoS 2：消失 %d 通。セッションは保たれていたのに、%d 件のコピーがアプリケーションに渡りました。これは MQTT ではなくブローカーの問題です。配布版の NATS Server 2.15.3 は切断のあと QoS 2 のメッセージを新しいパケット ID で再送するため、受信側はそれを新しいメッセージと区別できません。また、切断の瞬間に PUBREL を保存していたメッセージを失うことがあります。Mosquitto や、このプレイグラウンドが自分で動かす NATS ノード（修正済み）で同じ実行をすると、どちらも 0 です。コピーを防げるのはアプリケーションの message_id による重複検出だけで（二重処理 %d 件）、失われたメッセージは戻りません。",
	}
	BlipsExplain2UnheldNATS = Msg{
		"Another %d PUBLISHes arrived with DUP=1 as the first copy to reach the subscriber: the earlier one was lost in a cut, or NATS sent the message again from its stream with DUP set.",
		"ほかに %d 通の PUBLISH が、サブスクライバーに届いた最初のコピーなのに DUP=1 でした。前のコピーが切断で失われたか、NATS がストリームから DUP 付きで再送したためです。",
	}
	BlipsBurstNATS = Msg{
		"On a NATS cluster the subscriber's messages come from a JetStream consumer, which sends again every message not yet acknowledged at a reconnection (and after ack_wait, 10 s here), up to NATS's max_ack_pending (1,024 by default) rather than a limit of 20 like Mosquitto's.",
		"NATS クラスターでは、サブスクライバー宛てのメッセージは JetStream のコンシューマーから届きます。コンシューマーは、まだ PUBACK のないメッセージを再接続のたびに（および ack_wait、ここでは 10 秒の経過後にも）再送します。その上限は Mosquitto のような 20 通ではなく、NATS の max_ack_pending（既定 1,024 通）です。",
	}
	BlipsExplain1WhyNATS = Msg{
		"Why the broker sent them again: NATS keeps each QoS 1 message in its stream until its PUBACK comes, and its consumer sends again, with DUP=1, every one not yet acknowledged, after a reconnection or once ack_wait has passed (%d reconnections, %d resends, at most %d right as a connection began). What had become of the previous copy: PUBACK sent and lost in the cut: %d; PUBACK not sent yet when the connection ended: %d; still being processed: %d; no earlier copy had reached the subscriber (the cut dropped it): %d.",
		"ブローカーが再送した理由：NATS は QoS 1 のメッセージを PUBACK が届くまでストリームに保持し、コンシューマーが、確認応答のないメッセージを再接続のあと、または ack_wait が過ぎたときに DUP=1 で再送します（再接続 %d 回、再送 %d 通、接続直後に一度に最大 %d 通）。直前のコピーがどうなっていたか：PUBACK を送ったが切断で失われた %d 通、接続が切れた時点で PUBACK をまだ送っていなかった %d 通、まだ処理中だった %d 通、それ以前のコピーがサブスクライバーに届いていなかった（切断で失われた）%d 通。",
	}
)
