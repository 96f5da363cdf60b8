package i18n

// The fault lab's random-cut results: copies on the wire apart from copies
// handed to the application, and why each happened (app/ui/lab_faults_ledger.go).
var (
	BlipsLedgerCaption  = Msg{"Ledger by QoS, judged by message_id: copies on the wire apart from copies handed to the application", "QoS 別の台帳（message_id で判定）：回線上のコピーとアプリケーションに渡ったコピーを分けて数えます"}
	BlipsRowQoS         = Msg{"QoS %d", "QoS %d"}
	BlipsColWire        = Msg{"Copies on the wire (resends)", "回線上のコピー（再送）"}
	BlipsColApp         = Msg{"Copies to the application", "アプリケーションへのコピー"}
	BlipsColProcessed   = Msg{"Processed twice", "二重処理"}
	BlipsCutsLine       = Msg{"QoS %d: the publisher's connection was cut %d times and the subscriber's %d times; the publisher resent %d PUBLISHes with DUP=1.", "QoS %d：パブリッシャーの接続は %d 回、サブスクライバーの接続は %d 回切断され、パブリッシャーは DUP=1 で PUBLISH を %d 通再送しました。"}
	BlipsExplain2Once   = Msg{"QoS 2: %d lost, and the application got each message exactly once. On the wire the broker sent %d copies again: at every reconnection it resends, all at once, each message whose PUBREC it never got.", "QoS 2：消失 %d 通。アプリケーションは各メッセージを正確に1回だけ受け取りました。回線上では、ブローカーが %d 件のコピーを再送しています。再接続のたびに、PUBREC が届かなかったメッセージをまとめて再送するからです。"}
	BlipsExplain2Why    = Msg{"Why those PUBRECs never reached the broker: %d had been sent and went down with the connection; %d were made only after their connection had gone (paho drops such an acknowledgement); %d were still waiting in the client's queue when the cut came; %d messages were still being processed. The broker had up to %d messages in flight to the subscriber, so each reconnection brought a burst of resends, and the PUBRECs answering them count toward the next cut, which falls inside that burst.", "PUBREC がブローカーに届かなかった理由：送信済みで接続とともに失われたもの %d 件、接続が切れた後に確認応答したもの %d 件（paho はこうした確認応答を捨てます）、切断時にクライアントの送信待ちだったもの %d 件、まだ処理中だったもの %d 件。ブローカーはサブスクライバー宛てに最大 %d 通を送信中のまま抱えていたため、再接続のたびに再送がまとめて届き、それに答える PUBREC が次の切断までのパケット数に数えられて、切断はその途中で起きます。"}
	BlipsExplain2Unheld = Msg{"Another %d PUBLISHes arrived with DUP=1 as the first copy to reach the subscriber: the earlier one was lost in a cut (or the broker marks its whole queue DUP on reconnection, as the embedded mochi-mqtt broker does).", "ほかに %d 通の PUBLISH が、サブスクライバーに届いた最初のコピーなのに DUP=1 でした。前のコピーが切断で失われたためです（組み込みの mochi-mqtt ブローカーのように、再接続時にキュー全体を DUP=1 で送るブローカーもあります）。"}
	BlipsExplain2Held   = Msg{"Until the PUBREL comes, the client keeps the packet id and answers a copy with PUBREC without handing it to the application again (MQTT 3.1.1, section 4.3.3). paho.mqtt.golang by itself hands every copy to the application.", "クライアントは PUBREL が届くまでパケット ID を保持し、コピーには PUBREC だけを返して、アプリケーションにはもう渡しません（MQTT 3.1.1 の 4.3.3 節）。paho.mqtt.golang 単体では、コピーもすべてアプリケーションに渡してしまいます。"}
	BlipsExplain2Pub    = Msg{"The publisher's side: after reconnecting it sent PUBREL again %d times and never resent a PUBLISH whose PUBREC had come (%d such resends held back). paho.mqtt.golang by itself sends the PUBLISH again, which a broker that has finished the exchange takes for a new message.", "パブリッシャー側：再接続後に PUBREL を %d 回再送し、PUBREC を受け取ったメッセージの PUBLISH は再送しませんでした（止めた再送 %d 件）。paho.mqtt.golang 単体では PUBLISH を再送してしまい、やり取りを終えたブローカーはそれを新しいメッセージとして受け取ります。"}
	BlipsExplain2Copies = Msg{"QoS 2: %d lost, and %d copies still reached the application. %d times the broker came back without the session (CONNACK session present = 0: clean session on, or a broker that lost it). With the session gone neither side remembers the packet ids, so a message sent again is a new message; only the application's duplicate detection by message_id catches it (%d processed twice).", "QoS 2：消失 %d 通。それでも %d 件のコピーがアプリケーションに渡りました。ブローカーがセッションを持たずに再接続を受けたことが %d 回あります（CONNACK の session present = 0：クリーンセッションがオン、またはブローカーがセッションを失った場合）。セッションがなければどちらの側もパケット ID を覚えていないため、再送されたメッセージは新しいメッセージになり、防げるのはアプリケーションの message_id による重複検出だけです（二重処理 %d 件）。"}
	BlipsUpstream       = Msg{"paho.mqtt.golang's own issues:", "paho.mqtt.golang の issue："}
	BlipsUpstreamRecv   = Msg{"a re-sent QoS 2 PUBLISH handed to the application again", "再送された QoS 2 の PUBLISH をもう一度アプリケーションに渡す"}
	BlipsUpstreamSend   = Msg{"the PUBLISH resent instead of the PUBREL", "PUBREL の代わりに PUBLISH を再送する"}
)
