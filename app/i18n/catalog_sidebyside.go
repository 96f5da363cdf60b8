package i18n

// The fault lab's "QoS side by side" (issue 16, item 3; package sidebyside).
var (
	SbsHeading = Msg{"QoS side by side", "QoS を横に並べて比べる"}
	SbsHelp    = Msg{
		"One run sends the same numbered stream, messages 1, 2, 3…, at QoS 0, 1 and 2 at once: each QoS on a topic of its own, with its own publisher and reliable subscriber, all over the same link, every connection cut at random in the same range. The table puts side by side what each QoS delivered, in what order, how fast, and what it cost on the wire.",
		"番号付きの同じメッセージ列（1, 2, 3…）を、QoS 0・1・2 で同時に送ります。QoS ごとにトピック・パブリッシャー・信頼性サブスクライバーは別々ですが、回線は同じで、どの接続も同じ範囲でランダムに切断されます。QoS ごとに、何が届いたか、どの順序で届いたか、どれだけ速かったか、回線上でどれだけのコストがかかったかを、表で横に並べて比べます。",
	}
	// SbsSpec is what MQTT 3.1.1 section 4.6 says about order.
	SbsSpec = Msg{
		"What MQTT 3.1.1 promises about order (section 4.6): the client and the broker re-send unacknowledged messages in the order they first sent them, and the broker sends a subscriber the messages of one topic at one QoS in the order it received them from each client. So on each stream here, each message first reaches the application in the order sent. Two things still change what arrives: QoS 0 may lose messages (gaps, never swaps), and at QoS 1, with more than one message in flight, a re-sent copy may arrive after later messages (the spec's own example: 1, 2, 3, 2, 3, 4). Order is promised only within one topic and one QoS: the three streams are not ordered against each other.",
		"MQTT 3.1.1 が順序について約束していること（4.6 節）：クライアントとブローカーは、確認応答のないメッセージを最初に送った順に再送します。また、ブローカーは同じトピック・同じ QoS のメッセージを、各クライアントから受け取った順にサブスクライバーへ送ります。したがって、ここの各メッセージ列では、どのメッセージも送った順にアプリケーションへ初めて届くはずです。それでも届き方が変わる点が 2 つあります。QoS 0 ではメッセージが消失することがあります（番号が抜けるだけで、入れ替わりはしません）。QoS 1 では、複数のメッセージが送信途中（インフライト）にあると、再送されたコピーが後のメッセージより後に届くことがあります（仕様自身の例：1, 2, 3, 2, 3, 4）。順序が約束されるのは同じトピック・同じ QoS の中だけで、3 つのメッセージ列どうしの順序は約束されません。",
	}
	SbsMessages  = Msg{"Messages per QoS", "QoS ごとのメッセージ数"}
	SbsCutMin    = Msg{"Cut after at least (packets)", "切断までの最小パケット数"}
	SbsCutMax    = Msg{"and at most (packets)", "最大パケット数"}
	SbsCutHelp   = Msg{"Each connection is cut after a random number of packets in this range, drawn again at each reconnection; 0 and 0: no cuts.", "各接続は、この範囲からランダムに選んだ数のパケットの後で切断されます（再接続のたびに選び直します）。0 と 0 なら切断しません。"}
	SbsLinkHelp  = Msg{"The link all six connections go through. A preset that drops the connection fills in its cut range.", "6 本の接続すべてが通る回線です。接続が切れるプリセットを選ぶと、その切断範囲が入力されます。"}
	SbsErrCutMin = Msg{"The smallest must be at least 1, or both 0 for no cuts.", "最小パケット数は 1 以上にしてください（切断しない場合は両方とも 0）。"}
	SbsRun       = Msg{"Run QoS 0, 1 and 2 at once", "QoS 0・1・2 を同時に実行"}
	SbsRunning   = Msg{"Running: sent QoS 0 %d/%d, QoS 1 %d/%d, QoS 2 %d/%d; %d cuts…", "実行中：送信 QoS 0 %d/%d、QoS 1 %d/%d、QoS 2 %d/%d、切断 %d 回…"}
	SbsDone      = Msg{"Done in %.1f s.", "完了（%.1f 秒）。"}
	SbsConds     = Msg{"Link: %s. Cuts: %s.", "回線：%s。切断：%s。"}
	SbsNoCuts    = Msg{"none", "なし"}
	SbsCutRange  = Msg{"every %d to %d packets, %d connections cut in all", "%d〜%d パケットごと、合計 %d 回"}
	SbsCaption   = Msg{"The same %d messages at each QoS, side by side", "同じ %d 通を QoS ごとに横並びで"}
	SbsColQoS    = Msg{"QoS %d", "QoS %d"}
	SbsMeasure   = Msg{"Measure", "項目"}

	SbsRowSent       = Msg{"Sent", "送信"}
	SbsRowReceived   = Msg{"Received", "受信"}
	SbsRowLost       = Msg{"Lost", "消失"}
	SbsRowWire       = Msg{"Copies on the wire", "回線上のコピー"}
	SbsRowApp        = Msg{"Copies to the application", "アプリケーションへのコピー"}
	SbsRowOutOfOrder = Msg{"Out of order (after a later message)", "順序の乱れ（後のメッセージより後に到着）"}
	SbsRowLateFirst  = Msg{"… of them, first arrivals", "…うち初回の到着"}
	SbsRowP50        = Msg{"Latency, median (ms)", "レイテンシ 中央値（ms）"}
	SbsRowP95        = Msg{"Latency, 95th percentile (ms)", "レイテンシ 95パーセンタイル（ms）"}
	SbsRowMax        = Msg{"Latency, slowest (ms)", "レイテンシ 最大（ms）"}
	SbsRowPackets    = Msg{"Packets on the wire per message delivered", "届いた 1 通あたりの回線上のパケット数"}
	SbsRowBytes      = Msg{"Bytes on the wire per message delivered", "届いた 1 通あたりの回線上のバイト数"}
	SbsRowCuts       = Msg{"Connections cut", "切断された接続"}
	SbsNone          = Msg{"none delivered", "届いたものなし"}
	SbsTableHelp     = Msg{
		"Out of order counts every arrival at the application whose number is lower than one that arrived before it, copies included; the next line counts the messages among them that arrived for the first time. Latency: from the publisher handing a message to its client to the subscriber's application getting it, in this tab, for each message's first arrival. Packets and bytes: every MQTT packet on the publisher's and the subscriber's connections, both ways, acknowledgements, reconnections and re-sends included.",
		"順序の乱れは、それより前に大きい番号が届いていたのにアプリケーションへ届いたもの（コピーも含む）の数です。次の行は、そのうち初めて届いたメッセージの数です。レイテンシは、パブリッシャーがメッセージをクライアントに渡してから、サブスクライバーのアプリケーションが受け取るまでの時間（このタブで測定、各メッセージの初回の到着）です。パケット数とバイト数は、パブリッシャーとサブスクライバーの接続を両方向に流れたすべての MQTT パケットで、確認応答・再接続・再送も含みます。",
	}
	SbsChartCounts   = Msg{"Lost, copies to the application and out of order, by QoS", "QoS 別の消失・アプリケーションへのコピー・順序の乱れ"}
	SbsChartLatency  = Msg{"Latency from send to the application, by QoS", "送信からアプリケーションまでの QoS 別レイテンシ"}
	SbsChartHelp     = Msg{"Bars in each group, left to right: QoS 0, 1 and 2.", "各グループの棒は左から QoS 0・1・2 です。"}
	SbsChartLost     = Msg{"lost", "消失"}
	SbsChartCopies   = Msg{"copies", "コピー"}
	SbsChartDisorder = Msg{"out of order", "順序の乱れ"}
	SbsChartP50      = Msg{"median", "中央値"}
	SbsChartP95      = Msg{"95th pct.", "95パーセンタイル"}
	SbsChartMax      = Msg{"slowest", "最大"}
	SbsChartEmpty    = Msg{"nothing to draw: all zero", "すべて 0 のため棒はありません"}
	SbsFindings      = Msg{"What this run shows", "この実行からわかること"}

	SbsLostAllowed  = Msg{"QoS 0: %d of %d lost. At most once allows it: nothing re-sends them. A loss leaves a gap in the numbers; it does not change their order.", "QoS 0：%d / %d 通が消失しました。「最大 1 回」なので許される結果で、再送されることはありません。消失は番号の抜けになるだけで、順序は変わりません。"}
	SbsNoneLostQoS0 = Msg{"QoS 0: none of %d lost this time, though nothing promised it.", "QoS 0：今回は %d 通とも消失しませんでしたが、それが約束されているわけではありません。"}
	SbsNoneLost     = Msg{"QoS %d: none of %d lost, as promised.", "QoS %d：%d 通とも消失しませんでした。約束どおりです。"}
	SbsLostBroken   = Msg{"QoS %d: %d of %d lost: the promise did not hold in this run.", "QoS %d：%d / %d 通が消失しました。この実行では約束が守られませんでした。"}
	SbsOnceHeld     = Msg{"QoS 2: no copy reached the application; the client answered the %d copies on the wire without handing them over. Exactly once held.", "QoS 2：アプリケーションへ届いたコピーはありません。回線上の %d 件のコピーには、クライアントがアプリケーションへ渡さずに応答しました。「正確に 1 回」が守られました。"}
	SbsOnceBroken   = Msg{"QoS 2: %d copies reached the application: exactly once did not hold in this run.", "QoS 2：%d 件のコピーがアプリケーションへ届きました。この実行では「正確に 1 回」が守られませんでした。"}
	SbsInOrder      = Msg{"QoS %d: all %d arrivals came in the order sent: 4.6's order held.", "QoS %d：%d 件の到着がすべて送った順でした。4.6 節の順序が守られました。"}
	SbsCopiesLate   = Msg{"QoS %d: %d copies arrived after a later message, for example %s (message %d after %d). 4.6 allows this at QoS 1 with more than one message in flight: a copy re-sent after a cut comes after the messages sent behind it.", "QoS %d：%d 件のコピーが後のメッセージより後に届きました。例：%s（%d 番が %d 番の後）。QoS 1 で複数のメッセージが送信途中にあるとき、4.6 節はこれを許しています。切断後に再送されたコピーは、その後ろで送られたメッセージより後に届くからです。"}
	SbsFirstInOrder = Msg{"QoS %d: still, every message's first arrival came in the order sent, as 4.6 requires.", "QoS %d：それでも、各メッセージの初回の到着はすべて送った順で、4.6 節のとおりです。"}
	SbsFirstLate    = Msg{"QoS %d: %d messages reached the application for the first time after a later one, for example %s (message %d after %d): 4.6's order did not hold in this run.", "QoS %d：%d 通のメッセージが、後のメッセージより後にアプリケーションへ初めて届きました。例：%s（%d 番が %d 番の後）。この実行では 4.6 節の順序が守られませんでした。"}
	SbsFirstLateWhy = Msg{
		"With only the publisher's or only the subscriber's connection cut, Mosquitto and this page's client keep this order: each re-sends in the order first sent, and the client holds new messages back until it has. mochi-mqtt v2.7.9, which the embedded broker and the broker in the tab run, shuffles its re-sends within a second; the playground puts them back in order, yet on a busy machine a new message now and then still goes out before them. With both cut at once, a few may come late now and then on either broker (here in about one run in eight), for a reason not pinned down yet.",
		"パブリッシャーの接続だけ、またはサブスクライバーの接続だけを切断した場合、Mosquitto とこのページのクライアントはこの順序を守ります。どちらも最初に送った順に再送し、クライアントは再送が終わるまで新しいメッセージを送りません。組み込みブローカーとこのタブの中のブローカーが使う mochi-mqtt v2.7.9 は、同じ 1 秒の中の再送を順不同で送ってしまいます。このプレイグラウンドが最初に送った順に並べ直していますが、負荷の高いマシンでは、新しいメッセージが再送より先に送られることがまだときどきあります。両方を同時に切断すると、どちらのブローカーでも、ときどき数通が後から届くことがあります（ここではおよそ 8 回に 1 回）が、その原因はまだ突き止められていません。",
	}
)
