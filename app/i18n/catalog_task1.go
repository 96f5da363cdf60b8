package i18n

// Task 1 (課題1: QoSレベルの使い分け): the scenarios, their streams, the
// consequences of a choice and the recommended choices with their reasons.
var (
	NavTask1        = Msg{"QoS choice (Task 1)", "QoS の使い分け（課題1）"}
	Task1Heading    = Msg{"Task 1: choose a QoS for each message stream", "課題1：メッセージの流れごとに QoS を選ぶ"}
	Task1Help       = Msg{"Pick a QoS for each stream of the system, run it over a flaky network, and look at what your choices lost, doubled and cost. Then reveal the recommended choices.", "システムの各メッセージに QoS を選び、不安定なネットワークで実行して、失われたもの・重複したもの・コストを確かめましょう。最後に推奨される選択を表示します。"}
	Task1System     = Msg{"System", "システム"}
	ScenarioFactory = Msg{"Factory temperature monitoring", "工場の温度監視システム"}
	ScenarioHome    = Msg{"Smart home", "スマートホームシステム"}
	StreamTemp      = Msg{"Temperature reading, every second", "毎秒の温度データ送信"}
	StreamAnomaly   = Msg{"Temperature anomaly alert", "温度異常アラート"}
	StreamCooling   = Msg{"Cooling system control command", "冷却システム制御コマンド"}
	StreamLight     = Msg{"Light status notification", "照明の状態通知"}
	StreamSecurity  = Msg{"Security alert", "セキュリティアラート"}
	StreamDoorLock  = Msg{"Door lock control", "ドアロック制御"}
	FlakyLabel      = Msg{"Flaky network: the server cuts both clients' connections every 20 to 60 packets", "不安定なネットワーク：サーバーが両クライアントの接続を 20〜60 パケットごとに切断"}
	FlakyHelp       = Msg{"Without it the loopback network loses nothing, and only the cost of each QoS shows.", "オフにするとループバックでは何も失われず、各 QoS のコストだけが見えます。"}
	RunTask1        = Msg{"Run the system", "システムを実行"}
	Task1Running    = Msg{"Running: %s (%d of %d)…", "実行中：%s（%d / %d）…"}
	Task1NotRun     = Msg{"Not run yet.", "まだ実行していません。"}
	Task1Done       = Msg{"Done: %d streams.", "完了：%d 種類のメッセージ。"}
	ColStream       = Msg{"Stream", "メッセージ"}
	ColYourQoS      = Msg{"Your QoS", "選んだ QoS"}
	ColPackets      = Msg{"Packets per message (publisher → broker + broker → subscriber = total)", "1通のパケット数 （送信側 + 受信側 = 合計）"}
	ColConsequence  = Msg{"What it means", "結果の意味"}
	Task1Caption    = Msg{"Each stream over the flaky network, judged by message_id", "不安定なネットワーク上の各メッセージ（message_id で判定）"}
	RevealButton    = Msg{"Reveal the recommended choices", "推奨される選択を表示"}
	RevealHeading   = Msg{"Recommended choices", "推奨される選択"}
	RevealYours     = Msg{"yours: QoS %d", "あなたの選択：QoS %d"}
	RevealMatch     = Msg{"same as yours", "あなたの選択と同じ"}
	RevealDiffers   = Msg{"differs from yours", "あなたの選択と異なる"}
	ConseqFits      = Msg{"Fits this stream.", "このメッセージに適しています。"}
	ConseqLostOK    = Msg{"%d lost in the blips: harmless, the next one replaces them.", "瞬断で %d 通が失われました：次のデータが置き換えるので問題ありません。"}
	ConseqLostBad   = Msg{"%d lost in the blips: each one an alert nobody saw or a command never carried out.", "瞬断で %d 通が失われました：誰も見ないアラート、実行されないコマンドです。"}
	ConseqCanLose   = Msg{"Nothing lost this run, by luck: QoS 0 gives no guarantee, and a loss here matters.", "今回は運よく失われませんでした：QoS 0 は保証がなく、ここでの損失は重大です。"}
	ConseqDupOK     = Msg{"%d duplicates reached the application: harmless here (the dedup kept them from being processed twice).", "%d 件の重複がアプリケーションに届きました：ここでは無害です（重複検出で二重処理を防止）。"}
	ConseqDupBad    = Msg{"%d duplicates reached the application: without the reliable subscriber's dedup, the command would have run twice.", "%d 件の重複がアプリケーションに届きました：信頼性サブスクライバーの重複検出がなければ、コマンドが二重に実行されていました。"}
	ConseqCanDouble = Msg{"No duplicate this run: QoS 1 may deliver a command twice, and here that matters.", "今回は重複がありませんでした：QoS 1 はコマンドを二重に届けることがあり、ここでは重大です。"}
	ConseqCostly    = Msg{"Works, but costs %d packets per message (%d on each leg) where %d would do (%d on each leg), and waits for more acknowledgements.", "動作しますが、1通あたり %d パケット（区間ごとに %d）かかります。%d パケット（区間ごとに %d）で足ります。確認応答の待ち時間も増えます。"}
	ConseqQoS2Dups  = Msg{"%d copies of QoS 2 messages reached the application although QoS 2 promises exactly once: the client keeps the protocol's receiver state across reconnections, so a broker that lost its half of the handshake delivered a resend as a new message (the fault lab shows why). The reliable subscriber's dedup saved the day.", "QoS 2 のメッセージの %d 件のコピーがアプリケーションに届きました。QoS 2 は「正確に1回」を約束し、クライアントも再接続をまたいで受信側の状態を保っていますが、ハンドシェイクの状態を失ったブローカーが、再送を新しいメッセージとして配信しました（理由は障害ラボで確かめられます）。信頼性サブスクライバーの重複検出によって二重処理は防がれました。"}
	ReasonTemp      = Msg{"QoS 0: a reading every second, stale a second later. A lost one is replaced by the next; acknowledgements would only add traffic.", "QoS 0：毎秒のデータは1秒後には古くなります。失われても次のデータが置き換え、確認応答は通信量を増やすだけです。"}
	ReasonAnomaly   = Msg{"QoS 1: the alert must arrive. A duplicate alert is harmless, and the subscriber's duplicate detection removes it; QoS 2's extra handshake buys nothing here.", "QoS 1：アラートは必ず届く必要があります。重複しても無害で、サブスクライバーの重複検出で除けます。QoS 2 の追加ハンドシェイクは不要です。"}
	ReasonCooling   = Msg{"QoS 2: a control command must be carried out exactly once; lost, the line overheats; doubled, the system may toggle or run twice.", "QoS 2：制御コマンドは正確に1回実行される必要があります。失われればラインが過熱し、重複すれば二重に動作する恐れがあります。"}
	ReasonLight     = Msg{"QoS 0: status updates are frequent and the next one corrects a lost one (retain it, so a new subscriber sees the current state at once).", "QoS 0：状態通知は頻繁で、失われても次の通知が正します（retain を付ければ新しい購読者もすぐ現在の状態を知れます）。"}
	ReasonSecurity  = Msg{"QoS 1: a security alert must arrive; seeing it twice does no harm, and duplicates can be detected by message id.", "QoS 1：セキュリティアラートは必ず届く必要があります。二度見えても害はなく、重複はメッセージ ID で検出できます。"}
	ReasonDoorLock  = Msg{"QoS 2: locking or unlocking must happen exactly once: a lost command leaves the door open, a doubled toggle reopens it.", "QoS 2：施錠・解錠は正確に1回でなければなりません。失われれば扉は開いたまま、二重の切り替えで再び開いてしまいます。"}
)
