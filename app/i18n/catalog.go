package i18n

// The catalogue. Protocol words (MQTT, QoS, PUBLISH, PUBACK, CONNACK, DUP,
// clean session…) stay in Latin letters in Japanese, as Japanese MQTT
// documentation writes them.

// Shared: header, navigation, language switch.
var (
	AppName     = Msg{"QoS Playground", "QoS プレイグラウンド"}
	Tagline     = Msg{"MQTT QoS and reliability, hands-on, in your browser tab: a real broker, real packets.", "MQTT の QoS と信頼性を、ブラウザのタブで手を動かして学べます。相手は本物のブローカー、流れるのは本物のパケットです。"}
	NavPages    = Msg{"Pages", "ページ"}
	NavHome     = Msg{"Playground", "プレイグラウンド"}
	NavPub      = Msg{"Publisher (Ex. 1)", "パブリッシャー（演習1）"}
	NavSub      = Msg{"Reliable subscriber (Ex. 2)", "信頼性サブスクライバー（演習2）"}
	NavInt      = Msg{"Integration (Ex. 3)", "統合テスト（演習3）"}
	LangLabel   = Msg{"Language", "言語"}
	QoS0Option  = Msg{"0 · at most once", "0 · 最大1回"}
	QoS1Option  = Msg{"1 · at least once", "1 · 最低1回"}
	QoS2Option  = Msg{"2 · exactly once", "2 · 正確に1回"}
	Yes         = Msg{"yes", "はい"}
	No          = Msg{"no", "いいえ"}
	LogHeading  = Msg{"Log", "ログ"}
	ConnectLost = Msg{"connection lost: %v", "接続が切れました: %v"}
)

// The playground page.
var (
	StateDisconnected  = Msg{"disconnected", "未接続"}
	StateConnecting    = Msg{"connecting", "接続中"}
	StateConnected     = Msg{"connected", "接続済み"}
	StateReconnecting  = Msg{"reconnecting", "再接続中"}
	AutoReconnectLabel = Msg{"Auto-reconnect", "自動再接続"}
	AutoReconnectHelp  = Msg{"After a lost connection the client sends CONNECT again by itself (at once, then backing off) and resends unacknowledged QoS 1/2 PUBLISHes with DUP=1.", "接続が切れるとクライアントが自動で CONNECT を送り直し（すぐに、その後は間隔を広げて）、確認応答のない QoS 1/2 の PUBLISH を DUP=1 で再送します。"}
	LogReconnecting    = Msg{"connection lost (%v): reconnecting", "接続が切れました（%v）：再接続します"}
	LogSubsForgotten   = Msg{"the broker kept no session: the subscriptions are gone (clean session on)", "ブローカーにセッションが残っていないため、購読は消えました（Clean Session オン）"}
	SessionPresent     = Msg{"session present", "セッションあり"}
	NewSession         = Msg{"new session", "新しいセッション"}
	ConnHeading        = Msg{"Connection", "接続"}
	BrokerLabel        = Msg{"Broker (WebSocket)", "ブローカー（WebSocket）"}
	BrokerHelp         = Msg{"The server's /mqtt endpoint relays every packet, unchanged, to a real broker.", "サーバーの /mqtt がすべてのパケットをそのまま本物のブローカーへ中継します。"}
	ClientIDLabel      = Msg{"Client id", "クライアント ID"}
	ClientIDHelp       = Msg{"The broker keeps a persistent session under this id.", "ブローカーはこの ID で永続セッションを保持します。"}
	CleanSessionLabel  = Msg{"Clean session", "Clean Session"}
	CleanSessionHelp   = Msg{"On: the broker forgets this client's subscriptions and queued messages when it disconnects. Off: it keeps them; on the next connection CONNACK says \"session present\", but only if the broker still holds a session for this client id (the first connection, a broker that lost it, or a clean-session connection in between get \"no session\").", "オン：切断するとブローカーは購読とキューのメッセージを破棄します。オフ：保持します。次の接続で CONNACK が「セッションあり」を返すのは、ブローカーがこのクライアント ID のセッションを保持していた場合だけです（初回の接続、ブローカーがセッションを失った場合、途中で Clean Session オンの接続をした場合は「セッションなし」）。"}
	KeepAliveLabel     = Msg{"Keepalive (seconds)", "キープアライブ（秒）"}
	KeepAliveHelp      = Msg{"The client sends PINGREQ when idle this long; the broker drops it after 1.5 times this.", "この秒数のあいだ何も送らなかったとき、クライアントは PINGREQ を送ります。ブローカーは、この 1.5 倍の時間なにも届かなければ接続を切ります。"}
	WillLegend         = Msg{"Last will", "Last Will（遺言）"}
	WillTopicLabel     = Msg{"Will topic", "Will トピック"}
	WillTopicHelp      = Msg{"If set, CONNECT carries a will: the broker publishes it for this client if the connection ends without DISCONNECT (a crash, a lost network), after the keepalive grace. A clean Disconnect discards it.", "設定すると CONNECT に Will が入ります。DISCONNECT なしで接続が切れたとき（クラッシュ、ネットワーク断）、キープアライブの猶予の後にブローカーがこのクライアントに代わって送信します。正常な切断では破棄されます。"}
	WillPayloadLabel   = Msg{"Will payload", "Will ペイロード"}
	WillRetainLabel    = Msg{"Retain the will", "Will を Retain"}
	WillPayloadHelp    = Msg{"The will message's payload, in CONNECT's payload after the will topic.", "Will メッセージのペイロード。CONNECT のペイロードで Will トピックの後に入ります。"}
	WillQoSHelp        = Msg{"The QoS the broker publishes the will at: CONNECT's Will QoS bits.", "ブローカーが Will を配信するときの QoS です（CONNECT の Will QoS ビット）。"}
	WillRetainHelp     = Msg{"CONNECT's Will Retain bit: the broker keeps the will as the topic's retained message, so later subscribers see the client went away.", "CONNECT の Will Retain ビット：ブローカーが Will をトピックの Retain メッセージとして保持し、後から購読した人にもクライアントの離脱が伝わります。"}
	UserLabel          = Msg{"User name", "ユーザー名"}
	PasswordLabel      = Msg{"Password", "パスワード"}
	CredentialsHelp    = Msg{"Sent in CONNECT, in clear text over this connection; the playground's broker accepts anyone. Never put in a link.", "CONNECT で送られます（この接続では平文）。プレイグラウンドのブローカーは誰でも受け入れます。リンクには含めません。"}
	KeepAliveInvalid   = Msg{"Keepalive must be a whole number of seconds from 1 to 65535.", "キープアライブは 1〜65535 の整数（秒）で指定してください。"}
	ConnectButton      = Msg{"Connect", "接続"}
	DisconnectButton   = Msg{"Disconnect", "切断"}
	SubHeading         = Msg{"Subscribe", "購読"}
	FilterLabel        = Msg{"Topic filter", "トピックフィルター"}
	FilterHelp         = Msg{"+ matches one level, # the rest (last level only).", "+ は1階層、# は残りすべて（最後の階層のみ）に一致します。"}
	QoSLabel           = Msg{"QoS", "QoS"}
	SubQoSHelp         = Msg{"The most this subscription will receive: a delivery gets min(publish QoS, this).", "この購読で受け取る QoS の上限です。配信される QoS は min(送信 QoS, この値) になります。"}
	SubscribeButton    = Msg{"Subscribe", "購読"}
	UnsubscribeButton  = Msg{"Unsubscribe", "購読解除"}
	UnsubscribeLabel   = Msg{"Unsubscribe %s", "購読解除：%s"}
	GrantedQoS         = Msg{"granted QoS %d", "許可された QoS %d"}
	PubHeading         = Msg{"Publish", "送信"}
	TopicLabel         = Msg{"Topic", "トピック"}
	TopicHelp          = Msg{"A topic name: no wildcards.", "トピック名：ワイルドカードは使えません。"}
	PayloadLabel       = Msg{"Payload", "ペイロード"}
	PubQoSHelp         = Msg{"0: one PUBLISH. 1: PUBLISH, PUBACK. 2: PUBLISH, PUBREC, PUBREL, PUBCOMP.", "0：PUBLISH のみ。1：PUBLISH、PUBACK。2：PUBLISH、PUBREC、PUBREL、PUBCOMP。"}
	RetainLabel        = Msg{"Retain", "Retain"}
	RetainHelp         = Msg{"The broker keeps the last retained message of a topic and gives it to every new subscriber.", "ブローカーはトピックの最後の Retain メッセージを保持し、新しい購読者に渡します。"}
	PublishButton      = Msg{"Publish", "送信"}
	ConnectFirst       = Msg{"Connect first.", "先に接続してください。"}
	MessagesHeading    = Msg{"Messages received", "受信メッセージ"}
	NothingYet         = Msg{"Nothing yet: subscribe, then publish.", "まだ届いていません。購読してから送信してください。"}
	RetainedBadge      = Msg{"retained", "Retain"}
	EffectiveQoS       = Msg{"published at QoS %d, subscribed at QoS %d: delivered at min(%d, %d) = %d", "送信 QoS %d、購読 QoS %d：配信 QoS は min(%d, %d) = %d"}
	PacketIDShort      = Msg{"id %d", "ID %d"}
	BinaryPayload      = Msg{"(%d bytes of binary)", "（%d バイトのバイナリ）"}
	TruncatedPayload   = Msg{"… (%d bytes)", "…（%d バイト）"}
	ActivityHeading    = Msg{"Activity", "アクティビティ"}
	LogBadLink         = Msg{"ignored a setting of the link: %s", "リンクの設定を無視しました：%s"}
	LogConnect         = Msg{"CONNECT %s (clean session = %v) to %s", "CONNECT %s（clean session = %v）→ %s"}
	LogConnack         = Msg{"CONNACK: connected, session present = %v", "CONNACK：接続しました、セッションあり = %v"}
	LogDisconnected    = Msg{"disconnected", "切断しました"}
	LogDisconnectedErr = Msg{"disconnected: %s", "切断されました：%s"}
	LogSubFailed       = Msg{"SUBSCRIBE %s: %s", "SUBSCRIBE %s：%s"}
	LogSuback          = Msg{"SUBACK %s: requested QoS %d, granted QoS %d", "SUBACK %s：要求 QoS %d、許可 QoS %d"}
	LogUnsubFailed     = Msg{"UNSUBSCRIBE %s: %s", "UNSUBSCRIBE %s：%s"}
	LogUnsuback        = Msg{"UNSUBACK %s", "UNSUBACK %s"}
	LogPubFailed       = Msg{"PUBLISH %s: %s", "PUBLISH %s：%s"}
	CountLabel         = Msg{"Messages per click", "1回の送信数"}
	CountHelp          = Msg{"Above 1: a burst, each message the tutorial's JSON with its own message_id, at most a window of them awaiting PUBACK/PUBCOMP.", "2 以上にすると連続送信します。各メッセージはチュートリアルと同じ JSON（message_id は1通ごとに異なる）で、PUBACK/PUBCOMP を待つメッセージはウィンドウの数までです。"}
	ReceivedTotal      = Msg{"%d received in all; the newest %d are listed.", "合計 %d 通を受信しました（新しい %d 通を表示）。"}
	LogBurstStart      = Msg{"burst: %d messages to %s at QoS %d, window %d", "連続送信：%d 通を %s へ QoS %d、ウィンドウ %d"}
	LogBurstDone       = Msg{"burst of %d messages done in %s", "%d 通の連続送信が完了（%s）"}
	LogPublished       = Msg{"PUBLISH %s QoS %d: %s in %s", "PUBLISH %s QoS %d：%s（%s）"}
	ConfirmQoS0        = Msg{"sent (QoS 0: no acknowledgement)", "送信済み（QoS 0：確認応答なし）"}
	ConfirmQoS1        = Msg{"PUBACK", "PUBACK"}
	ConfirmQoS2        = Msg{"PUBREC, PUBREL, PUBCOMP", "PUBREC、PUBREL、PUBCOMP"}
)

// Errors the learner can cause, by cause.
var (
	ErrTopicEmpty       = Msg{"The topic must not be empty.", "トピックを入力してください。"}
	ErrTopicTooLong     = Msg{"The topic is longer than 65,535 bytes.", "トピックが 65,535 バイトを超えています。"}
	ErrTopicUTF8        = Msg{"The topic is not valid UTF-8, or contains U+0000.", "トピックが正しい UTF-8 ではないか、U+0000 を含んでいます。"}
	ErrTopicWildcard    = Msg{"Wildcards + and # are only allowed in subscriptions.", "ワイルドカード + と # は購読でのみ使えます。"}
	ErrTopicHash        = Msg{"# must be the last level, alone (like a/#).", "# は最後の階層に単独で置きます（例：a/#）。"}
	ErrTopicPlus        = Msg{"+ must fill a whole level (like a/+/c).", "+ は1つの階層全体に置きます（例：a/+/c）。"}
	ErrNotConnected     = Msg{"Not connected.", "接続していません。"}
	ErrBadQoS           = Msg{"QoS must be 0, 1 or 2.", "QoS は 0、1、2 のいずれかです。"}
	ErrTimeout          = Msg{"No answer from the broker in time.", "ブローカーから時間内に応答がありません。"}
	ErrTooLarge         = Msg{"The message is too large: the PUBLISH would be %d bytes, the server's limit is %d.", "メッセージが大きすぎます：PUBLISH が %d バイトになり、サーバーの上限 %d バイトを超えます。"}
	ErrServerClosed     = Msg{"The server closed the connection.", "サーバーが接続を閉じました。"}
	ErrPersistentNoID   = Msg{"A persistent session (clean session off) needs a client id.", "永続セッション（clean session オフ）にはクライアント ID が必要です。"}
	ErrBadURL           = Msg{"The broker URL must be a ws:// or wss:// URL.", "ブローカー URL は ws:// か wss:// で指定してください。"}
	ErrSubRefused       = Msg{"The broker refused the subscription.", "ブローカーが購読を拒否しました。"}
	ErrOther            = Msg{"Error: %s", "エラー：%s"}
	ErrNumberMillis     = Msg{"%s: a whole number of milliseconds from 0 to 600000.", "%s：0〜600000 の整数（ミリ秒）で指定してください。"}
	ErrNumberRange      = Msg{"%s: a whole number from %d to %d.", "%s：%d〜%d の整数で指定してください。"}
	ErrMessageIDNumber  = Msg{"message_id: a whole number.", "message_id：整数で指定してください。"}
	ErrNotConfirmed     = Msg{"Some messages were not confirmed in time.", "時間内に確認応答が届かなかったメッセージがあります。"}
	ErrSubscriberSettle = Msg{"The subscriber did not finish processing in time.", "サブスクライバーの処理が時間内に終わりませんでした。"}
)

// The lab pages: tables.
var (
	ResultsCaption     = Msg{"QoS Test Results", "QoS テスト結果"}
	ColMessageID       = Msg{"Message ID", "メッセージ ID"}
	ColPacketID        = Msg{"Packet ID", "パケット ID"}
	ColTopic           = Msg{"Topic", "トピック"}
	ColQoS             = Msg{"QoS", "QoS"}
	ColType            = Msg{"Type", "種類"}
	ColStatus          = Msg{"Status", "状態"}
	ColLatency         = Msg{"Latency", "レイテンシ"}
	StatusConfirmed    = Msg{"✅ Confirmed", "✅ 確認済み"}
	StatusPending      = Msg{"⏳ Pending", "⏳ 保留中"}
	StatusSentQoS0     = Msg{"📤 Sent (QoS 0)", "📤 送信済み（QoS 0）"}
	StatusFailed       = Msg{"❌ Failed", "❌ 失敗"}
	NotApplicable      = Msg{"N/A", "—"}
	StatsCaption       = Msg{"Message Processing Statistics", "メッセージ処理の統計"}
	ColMetric          = Msg{"Metric", "項目"}
	ColCount           = Msg{"Count", "件数"}
	ColPercentage      = Msg{"Percentage", "割合"}
	StatTotal          = Msg{"Total Received", "受信合計"}
	StatDuplicates     = Msg{"Duplicates Detected", "検出した重複"}
	StatErrors         = Msg{"Processing Errors", "処理エラー"}
	StatProcessed      = Msg{"Successfully Processed", "処理成功"}
	RecordsCaption     = Msg{"Received messages", "受信したメッセージ"}
	ColSeq             = Msg{"#", "#"}
	ColIdentity        = Msg{"Message identity", "メッセージ識別子"}
	ColDup             = Msg{"DUP", "DUP"}
	ColProcessed       = Msg{"Processed", "処理済み"}
	ColAttempts        = Msg{"Attempts", "試行回数"}
	ColResult          = Msg{"Result", "結果"}
	ResultSensor       = Msg{"Sensor data stored for %s", "センサーデータを保存しました（%s）"}
	ResultAlert        = Msg{"Alert processed for %s", "アラートを処理しました（%s）"}
	ResultActuator     = Msg{"Actuator command executed for %s", "アクチュエータのコマンドを実行しました（%s）"}
	ResultActuatorQoS2 = Msg{"Actuator command executed for %s (QoS 2: exactly once)", "アクチュエータのコマンドを実行しました（%s、QoS 2：正確に1回）"}
	ResultImportant    = Msg{"Important message processed", "重要メッセージを処理しました"}
	ResultGeneric      = Msg{"Generic message processed", "一般メッセージを処理しました"}
	ResultFailed       = Msg{"All %d attempts failed", "%d 回の試行がすべて失敗しました"}
	ResultPending      = Msg{"Processing…", "処理中…"}
	GapLabel           = Msg{"Gap between messages (ms)", "メッセージの間隔（ミリ秒）"}
	GapHelp            = Msg{"The tutorial waits 1 s between messages.", "チュートリアルでは 1 秒間隔です。"}
	WindowLabel        = Msg{"In-flight window", "送信中ウィンドウ"}
	WindowHelp         = Msg{"At most this many QoS 1/2 messages await their acknowledgement (Mosquitto allows 20).", "確認応答を待っている QoS 1/2 メッセージの上限です（Mosquitto の既定は 20）。"}
	FieldGap           = Msg{"gap", "間隔"}
	FieldWindow        = Msg{"window", "ウィンドウ"}
	FieldMessages      = Msg{"messages", "メッセージ数"}
)

// The publisher page (Exercise 1).
var (
	PubLabHeading      = Msg{"QoS publisher (Exercise 1)", "QoS パブリッシャー（演習1）"}
	PubLabHelp         = Msg{"Publishes the tutorial's JSON messages and records, per message, its packet id, status and latency. Confirmed means the acknowledgement arrived: PUBACK at QoS 1, PUBCOMP at QoS 2. QoS 0 has nothing to confirm.", "チュートリアルの JSON メッセージを送信し、メッセージごとにパケット ID・状態・レイテンシを記録します。「確認済み」は確認応答が届いたことを表します（QoS 1 は PUBACK、QoS 2 は PUBCOMP）。QoS 0 には確認応答がありません。"}
	RunComparison      = Msg{"Run the QoS comparison", "QoS 比較テストを実行"}
	PersistHeading     = Msg{"Persistent session", "永続セッション"}
	PersistHelp        = Msg{"A subscriber with a fixed client id subscribes to important/messages at QoS 1. Two messages while it is connected, two while it is away; then it reconnects.", "固定クライアント ID のサブスクライバーが important/messages を QoS 1 で購読します。接続中に2通、切断中に2通を送ってから再接続します。"}
	PersistCleanHelp   = Msg{"Off: the broker keeps the session and queues the messages sent while the subscriber is away; the reconnection's CONNACK says \"session present\" because the broker held that session (the first connection says \"no session\": the run clears any old one first). On: nothing is kept, CONNACK says \"no session\", and those messages are lost.", "オフ：ブローカーはセッションを保持し、切断中のメッセージをキューに入れます。再接続時の CONNACK が「セッションあり」になるのは、ブローカーがそのセッションを保持していたからです（最初の接続は「セッションなし」：実行前に古いセッションを消去します）。オン：何も保持されず、CONNACK は「セッションなし」となり、切断中のメッセージは失われます。"}
	RunPersistent      = Msg{"Run the persistent-session test", "永続セッションテストを実行"}
	BurstHeading       = Msg{"Burst", "バースト"}
	BurstHelp          = Msg{"Many messages as fast as the in-flight window allows: nothing is lost at QoS 1 or 2.", "送信中ウィンドウの許す限りの速さで大量に送信します。QoS 1・2 では1通も失われません。"}
	MessagesLabel      = Msg{"Messages", "メッセージ数"}
	RunBurst           = Msg{"Run the burst", "バーストを実行"}
	ResultsHeading     = Msg{"Results", "結果"}
	NoRunYet           = Msg{"No run yet.", "まだ実行していません。"}
	RunningEllipsis    = Msg{"%s…", "%s…"}
	RunSummary         = Msg{"%d messages: %d confirmed, %d sent (QoS 0), %d pending, %d failed — %s", "%d 通：確認済み %d、送信済み（QoS 0）%d、保留 %d、失敗 %d — %s"}
	TableShowsLast     = Msg{" (the table shows the last %d)", "（表は最新 %d 件）"}
	RunComparisonName  = Msg{"QoS comparison", "QoS 比較"}
	RunPersistentName  = Msg{"Persistent session", "永続セッション"}
	RunBurstName       = Msg{"Burst at QoS %d of %d messages", "QoS %d で %d 通のバースト"}
	LogRunConnecting   = Msg{"%s: connecting %s", "%s：%s を接続中"}
	LogRunDone         = Msg{"%s: done in %s", "%s：完了（%s）"}
	LogRunFailed       = Msg{"%s: %s", "%s：%s"}
	StepConnect        = Msg{"persistent client connected, session present: %v; subscribed to important/messages (QoS 1)", "永続クライアントが接続、セッションあり：%v。important/messages を購読（QoS 1）"}
	StepPublishOnline  = Msg{"📤 published while the subscriber is connected: %s", "📤 サブスクライバー接続中に送信：%s"}
	StepDisconnect     = Msg{"💤 persistent client disconnected", "💤 永続クライアントが切断"}
	StepPublishOffline = Msg{"📤 published while the subscriber is offline: %s", "📤 サブスクライバー切断中に送信：%s"}
	StepReconnect      = Msg{"🔌 persistent client reconnected, session present: %v", "🔌 永続クライアントが再接続、セッションあり：%v"}
	StepReceived       = Msg{"📢 received: %s", "📢 受信：%s"}
	StepDone           = Msg{"done", "完了"}
	FactClean          = Msg{"Clean session", "Clean Session"}
	FactSPFirst        = Msg{"Session present, first connection", "セッションあり（最初の接続）"}
	FactSPReconnect    = Msg{"Session present, after reconnecting", "セッションあり（再接続後）"}
	FactRedelivered    = Msg{"Earlier messages sent again", "再送された受信済みメッセージ"}
	FactVerdict        = Msg{"Verdict", "結論"}
	RedeliveredNone    = Msg{"none", "なし"}
	RedeliveredSome    = Msg{"%d, with DUP set: QoS 1 is \"at least once\", and this broker sent acknowledged messages again. An application must be ready for duplicates — the reliable subscriber's duplicate check is.", "%d 通（DUP 付き）。QoS 1 は「最低1回」なので、このブローカーは確認済みのメッセージも再送しました。アプリケーション側で重複に備える必要があります（信頼性サブスクライバーの重複チェックのように）。"}
	VerdictReceived    = Msg{"Received %d of the %d messages sent while it was away.", "切断中に送った %[2]d 通のうち %[1]d 通を受信しました。"}
	VerdictLost        = Msg{" The others are lost: with clean session on, the broker kept nothing for it.", "残りは失われました。clean session がオンのため、ブローカーはセッションを保持していません。"}
	VerdictKept        = Msg{" The broker kept them in the session and delivered them right after CONNACK.", "ブローカーがセッションに保持し、CONNACK の直後に配信しました。"}
)

// The subscriber page (Exercise 2).
var (
	SubLabHeading    = Msg{"Reliable subscriber (Exercise 2)", "信頼性サブスクライバー（演習2）"}
	SubLabHelp       = Msg{"Clean session off. Each message is identified by topic:message_id (or a hash of topic, payload and QoS); it counts as processed only when its processing succeeds, and a duplicate is counted but never processed twice.", "Clean Session はオフ。各メッセージは topic:message_id（またはトピック・ペイロード・QoS のハッシュ）で識別し、処理が成功したときだけ処理済みとします。重複は数えますが、二度処理しません。"}
	AckNote          = Msg{"Acknowledgement: the PUBACK (QoS 1) or PUBREC (QoS 2) is sent after processing ends. If the tab dies while processing, the broker still has the message and sends it again (DUP) to this session; the duplicate check makes that safe.", "確認応答：PUBACK（QoS 1）または PUBREC（QoS 2）は処理が終わってから送ります。処理中にタブが落ちても、ブローカーはメッセージを保持していてこのセッションへ再送（DUP）します。重複チェックがあるので安全です。"}
	SubscriptionsLeg = Msg{"Subscriptions", "購読"}
	FilterN          = Msg{"Filter %d", "フィルター %d"}
	QoSN             = Msg{"QoS %d", "QoS %d"}
	StartButton      = Msg{"Start", "開始"}
	StopButton       = Msg{"Stop", "停止"}
	ProcessingHead   = Msg{"Processing", "処理"}
	WorkTimeLabel    = Msg{"Work time: %s (ms)", "処理時間：%s（ミリ秒）"}
	FamilySensors    = Msg{"sensors", "センサー"}
	FamilyAlerts     = Msg{"alerts", "アラート"}
	FamilyActuators  = Msg{"actuators", "アクチュエータ"}
	FamilyImportant  = Msg{"important", "重要"}
	FamilyGeneric    = Msg{"generic", "一般"}
	AttemptsLabel    = Msg{"Attempts per message", "メッセージごとの試行回数"}
	AttemptsHelp     = Msg{"The tutorial tries 3 times.", "チュートリアルでは 3 回です。"}
	RetryDelayLabel  = Msg{"Delay between attempts (ms)", "試行の間隔（ミリ秒）"}
	RetryDelayHelp   = Msg{"The tutorial waits 2 s.", "チュートリアルでは 2 秒です。"}
	FailAlertLabel   = Msg{"Simulate the alert failure", "アラート処理の失敗をシミュレート"}
	FailAlertHelp    = Msg{"The tutorial's rule: an alert whose topic has \"high\" in its second level and whose message_id ends in 3 (3, 13, 23…) fails every attempt (a test built into process_alert). Send message_id 3 to alerts/temperature_high to watch the retries.", "チュートリアルのルール：トピックの2階層目に \"high\" を含み、message_id が 3 で終わる（3、13、23…）アラートは毎回失敗します（チュートリアルのアラート処理に組み込まれたテスト）。alerts/temperature_high に message_id 3 を送ると、再試行のようすを確かめられます。"}
	TTLLabel         = Msg{"Keep processed records (minutes)", "処理済み記録の保持（分）"}
	PruneLabel       = Msg{"Clean up every (minutes)", "クリーンアップ間隔（分）"}
	FieldAttempts    = Msg{"attempts", "試行回数"}
	FieldRetryDelay  = Msg{"retry delay", "試行の間隔"}
	FieldTTL         = Msg{"record lifetime", "記録の保持"}
	FieldPrune       = Msg{"cleanup interval", "クリーンアップ間隔"}
	FieldWorkTime    = Msg{"%s work time", "%s の処理時間"}
	SendHeading      = Msg{"Send it a message", "メッセージを送る"}
	SendHelp         = Msg{"Send the same message_id twice to see a duplicate detected and not processed again.", "同じ message_id を2回送ると、重複が検出され二度目は処理されないことがわかります。"}
	SendButton       = Msg{"Send", "送信"}
	StatsHeading     = Msg{"Statistics", "統計"}
	Stopped          = Msg{"Stopped.", "停止中。"}
	Listening        = Msg{"Listening as %s (session present: %s).", "%s として待機中（セッションあり：%s）。"}
	LogSubConnecting = Msg{"connecting %s with clean session off", "%s を clean session オフで接続中"}
	LogSubConnected  = Msg{"✅ connected, session present: %v", "✅ 接続しました、セッションあり：%v"}
	LogSubscribed    = Msg{"📡 subscribed to %s at QoS %d", "📡 %s を QoS %d で購読"}
	LogSubStopped    = Msg{"stopped; the session stays at the broker (clean session off)", "停止しました。セッションはブローカーに残ります（clean session オフ）"}
	LogReceived      = Msg{"📥 %s QoS %d%s: %s", "📥 %s QoS %d%s：%s"}
	LogDupFlag       = Msg{" (DUP=1)", "（DUP=1）"}
	LogDuplicate     = Msg{"🔄 duplicate detected, not processed again: %s", "🔄 重複を検出しました（再処理しません）：%s"}
	LogRetry         = Msg{"⚠️ attempt %d failed: %s; retrying", "⚠️ %d 回目の試行が失敗：%s。再試行します"}
	LogFailed        = Msg{"❌ all %d attempts failed: %s", "❌ %d 回の試行がすべて失敗：%s"}
	LogPruned        = Msg{"🧹 cleaned up %d old message records", "🧹 古いメッセージ記録を %d 件削除"}
	LogTestSent      = Msg{"📤 sent message_id %d to %s at QoS %d", "📤 message_id %d を %s へ QoS %d で送信"}
	LogTestFailed    = Msg{"test publish: %s", "テスト送信：%s"}
)

// The integration page (Exercise 3).
var (
	IntHeading       = Msg{"Integration run (Exercise 3)", "統合テスト（演習3）"}
	IntHelp          = Msg{"One click does what qos_integration_test.py does with two processes: start the reliable subscriber, run the publisher's QoS comparison and persistent-session tests, and show both sides' results.", "qos_integration_test.py が2つのプロセスで行うことを、ワンクリックで実行します。信頼性サブスクライバーを起動し、パブリッシャーの QoS 比較と永続セッションのテストを実行して、両方の結果を表示します。"}
	IntCleanLabel    = Msg{"Clean session for the persistent-session test", "永続セッションテストで clean session をオン"}
	IntFastLabel     = Msg{"No simulated work time", "処理時間のシミュレーションなし"}
	RunIntegration   = Msg{"Run the integration test", "統合テストを実行"}
	IntPublisher     = Msg{"Publisher", "パブリッシャー"}
	IntSubscriber    = Msg{"Reliable subscriber", "信頼性サブスクライバー"}
	IntRunning       = Msg{"Running…", "実行中…"}
	IntNotRun        = Msg{"Not run yet.", "まだ実行していません。"}
	IntStoppedErr    = Msg{"Stopped with an error.", "エラーで停止しました。"}
	IntDone          = Msg{"Done: %d messages published, %d received by the reliable subscriber.", "完了：%d 通を送信し、信頼性サブスクライバーが %d 通を受信しました。"}
	IntStepStart     = Msg{"start the reliable subscriber", "信頼性サブスクライバーを起動"}
	IntStepPublisher = Msg{"connect the QoS publisher", "QoS パブリッシャーを接続"}
	IntStepCompare   = Msg{"QoS comparison run", "QoS 比較テスト"}
	IntStepPersist   = Msg{"persistent-session run", "永続セッションテスト"}
	IntStepWait      = Msg{"wait for the subscriber to finish processing", "サブスクライバーの処理完了を待機"}
	IntStepDone      = Msg{"done", "完了"}
	IntStep          = Msg{"▶ %s", "▶ %s"}
)

// The packet list (the wire tap).
var (
	PacketsHeading  = Msg{"Packets on the wire", "送受信したパケット"}
	PacketsHelp     = Msg{"Every MQTT packet of this tab's connection, as the tap between paho and the WebSocket sees it: → from the client to the broker, ← back.", "このタブの接続で送受信したすべての MQTT パケットです（paho と WebSocket の間で観測）。→ はクライアントからブローカーへ、← はその逆です。"}
	NoPacketsYet    = Msg{"No packets yet: connect.", "まだパケットはありません。接続してください。"}
	DirSent         = Msg{"client → broker", "クライアント → ブローカー"}
	DirReceived     = Msg{"broker → client", "ブローカー → クライアント"}
	PktID           = Msg{"ID %d", "ID %d"}
	PktBytes        = Msg{"%d bytes", "%d バイト"}
	PktGranted      = Msg{"granted QoS %s", "許可 QoS %s"}
	PktRequested    = Msg{"requested QoS %s", "要求 QoS %s"}
	PktKeepAlive    = Msg{"keepalive %d s", "キープアライブ %d 秒"}
	PktWill         = Msg{"will:", "Will："}
	PktSessionYes   = Msg{"session present", "セッションあり"}
	PktSessionNo    = Msg{"no session", "セッションなし"}
	PktAccepted     = Msg{"accepted", "接続許可"}
	PktRefused      = Msg{"refused (%d)", "拒否（%d）"}
	PktUndecodable  = Msg{"not MQTT:", "MQTT として解読できません："}
	PktCleanSession = Msg{"clean session", "clean session"}
	PktPersistent   = Msg{"persistent session", "永続セッション"}
	PktColSeq       = Msg{"#", "#"}
	PktColDir       = Msg{"Direction", "方向"}
	PktColType      = Msg{"Packet", "パケット"}
	PktColFields    = Msg{"Fields", "内容"}
)

// The sequence diagram.
var (
	SeqHeading     = Msg{"Sequence diagram", "シーケンス図"}
	SeqHelp        = Msg{"Time runs downwards. Select an arrow to see the packet's fields and bytes.", "時間は上から下へ進みます。矢印を選ぶと、パケットの内容とバイト列を表示します。"}
	SeqClient      = Msg{"Client (this tab)", "クライアント（このタブ）"}
	SeqBroker      = Msg{"Broker", "ブローカー"}
	SeqOmitted     = Msg{"… %d earlier packets", "… それ以前のパケット %d 個"}
	SeqArrowLabel  = Msg{"%s: packet %d, %s", "%s：パケット %d、%s"}
	SeqDetails     = Msg{"Packet %d", "パケット %d"}
	SeqBytes       = Msg{"Bytes (hex)", "バイト列（16進）"}
	SeqNoSelection = Msg{"No packet selected.", "パケットが選ばれていません。"}
)

// Charts and the ledger.
var (
	LatencyTitle     = Msg{"Confirmation latency by QoS", "QoS 別の確認レイテンシ"}
	LatencyMedian    = Msg{"median", "中央値"}
	LatencyP95       = Msg{"p95", "95パーセンタイル"}
	LatencyNoData    = Msg{"No confirmed QoS 1 or 2 message yet.", "確認済みの QoS 1・2 メッセージはまだありません。"}
	LatencyHelp      = Msg{"From each message's send to its acknowledgement: PUBACK at QoS 1, PUBCOMP at QoS 2 (a round trip more).", "送信してから確認応答が届くまでの時間です。QoS 1 は PUBACK まで、QoS 2 は PUBCOMP まで（往復が1回多い）。"}
	LedgerCaption    = Msg{"Ledger by QoS, judged by message_id", "QoS 別の集計（message_id で照合）"}
	LedgerSent       = Msg{"Sent", "送信"}
	LedgerReceived   = Msg{"Received", "受信"}
	LedgerLost       = Msg{"Lost", "消失"}
	LedgerDupSeen    = Msg{"Duplicates seen", "重複して受信"}
	LedgerDupProc    = Msg{"Duplicates processed", "二重に処理"}
	LedgerDupFlagged = Msg{"DUP=1 deliveries", "DUP=1 の配信"}
)
