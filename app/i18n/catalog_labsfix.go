package i18n

// Task 1, Exercise 2 and Exercise 3 (issue 13): the packets of each leg,
// the tutorial's alert failure, the fate of a test message sent while the
// subscriber is stopped, the settings' lock and the test send's errors.
var (
	PacketsLegsTitle = Msg{"%[1]d packets from the publisher to the broker, %[1]d from the broker to the subscriber: %[2]d in all", "パブリッシャー→ブローカーで %[1]d パケット、ブローカー→サブスクライバーで %[1]d パケット、合計 %[2]d パケット"}
	PacketsLegsHelp  = Msg{"Packets: each message travels two legs, publisher → broker and broker → subscriber, each at the QoS you chose. On one leg QoS 0 sends PUBLISH (1 packet), QoS 1 adds PUBACK (2), QoS 2 adds PUBREC, PUBREL and PUBCOMP (4): a message costs 2, 4 or 8 packets in all.", "パケット数：1通のメッセージは、送信側（パブリッシャー→ブローカー）と受信側（ブローカー→サブスクライバー）の2区間を、それぞれ選んだ QoS で流れます。1区間あたり、QoS 0 は PUBLISH だけ（1 パケット）、QoS 1 は PUBACK が加わって 2、QoS 2 は PUBREC・PUBREL・PUBCOMP が加わって 4 パケット。合計では 2・4・8 パケットになります。"}

	IntFailRule  = Msg{"The tutorial's subscriber fails an alert on every attempt when the second level of its topic contains \"high\" and its message_id ends in 3 (a test built into process_alert). The tutorial's run sends its alert as message_id 2, which never fails; with this box ticked the run also sends a second alert, message_id 3 on alerts/temperature_high: you see each attempt fail, the wait before the next one, and the message end as a processing error.", "チュートリアルのサブスクライバーは、トピックの2階層目に \"high\" を含み、message_id が 3 で終わるアラートを毎回わざと失敗させます（アラート処理に組み込まれたテスト用の仕掛け）。チュートリアルの実行ではアラートは message_id 2 なので失敗しません。このボックスをオンにすると、2通目のアラート（alerts/temperature_high、message_id 3）も送ります。試行が失敗するたびに次の試行まで待ち、最後は処理エラーとして数えられるようすを確かめられます。"}
	TestWillFail = Msg{"With the failure simulated, this message fails every attempt: an alert on a \"high\" topic whose message_id ends in 3.", "失敗のシミュレーションがオンなので、このメッセージは毎回失敗します（\"high\" を含むアラートで、message_id が 3 で終わるため）。"}
	LogRetryIn   = Msg{"⚠️ attempt %d of %d failed: %s; next attempt in %s", "⚠️ %d 回目の試行が失敗しました（全 %d 回）：%s。%s後に再試行します"}
	LogRetryNow  = Msg{"⚠️ attempt %d of %d failed: %s; next attempt at once", "⚠️ %d 回目の試行が失敗しました（全 %d 回）：%s。すぐに再試行します"}
	SimulatedErr = Msg{"simulated alert processing failure (the tutorial's test)", "アラート処理の失敗をシミュレート（チュートリアルのテスト）"}
	DurMillis    = Msg{"%d ms", "%d ミリ秒"}
	DurSeconds   = Msg{"%g s", "%g 秒"}

	SubLocked = Msg{"Locked while the subscriber runs: it took these settings when it started. Stop it to change them.", "サブスクライバーの実行中は変更できません。これらの設定は起動時に読み込まれたものです。変更するには停止してください。"}

	TestSendFailed = Msg{"Not sent: %s", "送信できませんでした：%s"}
	FateWaiting    = Msg{"message_id %d went to %s at QoS %d while the subscriber is stopped. The broker passes a message only to the subscriptions that exist when it arrives: if the subscriber's persistent session (clean session off) subscribed to this topic, the broker keeps the message for it (QoS 1 and 2 only); if not, nobody is subscribed and the broker drops it. Start the subscriber to see which.", "サブスクライバーの停止中に message_id %d を %s へ QoS %d で送りました。ブローカーがメッセージを渡すのは、届いた時点で存在する購読だけです。サブスクライバーの永続セッション（Clean Session オフ）がこのトピックを購読していれば、ブローカーはメッセージを保持します（QoS 1 と 2 のみ）。そうでなければ誰も購読していないので、ブローカーはメッセージを破棄します。サブスクライバーを起動して、どちらになるか確かめましょう。"}
	FateKept       = Msg{"message_id %d, sent while the subscriber was stopped, arrived when it started: its persistent session had subscribed, so the broker kept the message for it.", "停止中に送った message_id %d は、起動と同時に届きました。永続セッションが購読していたので、ブローカーがメッセージを保持していたのです。"}
	FateNoSession  = Msg{"message_id %d never arrived: when it was sent the subscriber had no session at the broker, so nobody was subscribed to %s and the broker dropped it. A PUBACK only means the broker took the message, not that anyone received it.", "message_id %d は届きませんでした。送った時点でブローカーにサブスクライバーのセッションがなく、%s を購読しているクライアントがいなかったため、ブローカーが破棄しました。PUBACK はブローカーが受け取ったという意味で、誰かに届いたという意味ではありません。"}
	FateNoMatch    = Msg{"message_id %d never arrived: none of the subscriber's subscriptions matches %s, so the broker had nobody to give it to and dropped it.", "message_id %d は届きませんでした。サブスクライバーの購読のどれも %s に一致しないため、ブローカーには渡す相手がなく、破棄しました。"}
	FateQoS0       = Msg{"message_id %d never arrived: the broker keeps messages for a stopped subscriber only at QoS 1 and 2, and this one was QoS 0 for the subscriber (the lower of the QoS it was sent at and the subscription's).", "message_id %d は届きませんでした。ブローカーが停止中のサブスクライバーのために保持するのは QoS 1 と 2 のメッセージだけで、このメッセージは QoS 0 でした（送信時の QoS と購読の QoS の小さいほう）。"}
	FateMissing    = Msg{"message_id %d has not arrived since the subscriber started.", "message_id %d は、サブスクライバーの起動後も届いていません。"}
	FateUnmatched  = Msg{"None of the running subscriber's subscriptions matches %s: the broker drops this message.", "実行中のサブスクライバーの購読のどれも %s に一致しません。ブローカーはこのメッセージを破棄します。"}
)
