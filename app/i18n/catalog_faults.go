package i18n

// The fault lab (Task 3: 障害耐性テスト).
var (
	SeqNewConn        = Msg{"✂ new connection (%d)", "✂ 新しい接続（%d）"}
	NavFaults         = Msg{"Fault lab (Task 3)", "障害ラボ（課題3）"}
	FaultsIntro       = Msg{"The server sits between this tab and the broker, so it can break the network on purpose: cut a connection at a chosen packet, many times at random, restart the broker, or let a client crash. Only this tab's own connections are ever cut.", "サーバーはこのタブとブローカーの間にいるので、わざとネットワーク障害を起こせます。選んだパケットで接続を切る、何度もランダムに切る、ブローカーを再起動する、クライアントを異常終了させる、の4つです。切断されるのはこのタブ自身の接続だけです。"}
	LessonHeading     = Msg{"Network blip: one message, one cut", "ネットワーク瞬断：1通のメッセージ、1回の切断"}
	LessonHelp        = Msg{"A publisher with a persistent session sends one message while the server cuts its connection at the packet that teaches the lesson; it reconnects by itself. A reliable subscriber listens.", "永続セッションのパブリッシャーが1通送る途中で、サーバーがこのレッスンの要となるパケットのところで接続を切ります。パブリッシャーは自動で再接続し、信頼性サブスクライバーが受信します。"}
	LessonRun         = Msg{"QoS %d: run the lesson", "QoS %d：レッスンを実行"}
	LessonRunning     = Msg{"Running the QoS %d lesson…", "QoS %d のレッスンを実行中…"}
	LessonCutFact     = Msg{"Cut", "切断"}
	LessonResentFact  = Msg{"The publisher resent with DUP=1", "パブリッシャーが DUP=1 で再送"}
	LessonConfirmFact = Msg{"The publisher got its acknowledgement", "パブリッシャーが確認応答を受信"}
	LessonDelivered   = Msg{"Deliveries to the subscriber", "サブスクライバーへの配信"}
	LessonProcessed   = Msg{"Processed by the application", "アプリケーションでの処理"}
	LessonExplain1    = Msg{"QoS 1 promises at least once. The broker got the PUBLISH and passed it on, but the PUBACK never reached the publisher; reconnecting with its session, the publisher sent the message again with DUP=1. At QoS 1 the broker cannot tell a resend from a new message, so the subscriber got it twice (the second copy with DUP=0: the flag belongs to one hop). The reliable subscriber recognised the message_id and processed it once.", "QoS 1 は「最低1回」を約束します。ブローカーは PUBLISH を受け取って配信しましたが、PUBACK がパブリッシャーに届きませんでした。セッションを保ったまま再接続したパブリッシャーは DUP=1 で再送し、QoS 1 のブローカーは再送と新しいメッセージを区別できないため、サブスクライバーは2回受信しました（2通目は DUP=0 です。DUP フラグは区間ごとに付くものだからです）。信頼性サブスクライバーは message_id で重複を見抜き、1回だけ処理しました。"}
	LessonExplain2    = Msg{"QoS 2 promises exactly once. The publisher resent with DUP=1 as at QoS 1, but the broker remembered the packet id from the first PUBLISH (its half of the four-way handshake) and answered PUBREC without delivering the message again.", "QoS 2 は「正確に1回」を約束します。パブリッシャーは QoS 1 と同じく DUP=1 で再送しましたが、ブローカーは最初の PUBLISH のパケット ID（4ウェイハンドシェイクの自分の側の状態）を覚えていて、再配信せずに PUBREC を返しました。"}
	LessonExplain2Dup = Msg{"This broker delivered it again all the same: the embedded mochi-mqtt broker does not always keep that state across the reconnection. The protocol's promise was broken; the reliable subscriber's duplicate detection saved the day.", "ところが、このブローカーは再配信しました。組み込みの mochi-mqtt ブローカーは、再接続をまたいでこの状態を保てないことがあります。プロトコルの約束は守られませんでしたが、信頼性サブスクライバーの重複検出によって二重処理は防がれました。"}
	LessonExplain2Rec = Msg{"This time the broker moved first: it had kept its half of the handshake and sent its PUBREC again when the publisher came back, so the publisher went on with PUBREL without resending the message.", "今回はブローカーが先に動きました。ハンドシェイクの自分の側の状態を保っていて、パブリッシャーが再接続すると PUBREC を再送したため、パブリッシャーはメッセージを再送せずに PUBREL へ進みました。"}
	LessonExplain0    = Msg{"QoS 0 promises at most once: no packet id, no acknowledgement, nothing stored. The PUBLISH went down with the connection; the publisher believes it sent it, and only the ledger knows it is gone.", "QoS 0 は「最大1回」を約束します。パケット ID も確認応答も保存もありません。PUBLISH は接続とともに失われ、パブリッシャーは送ったつもりのままです。消えたことは message_id の照合でしかわかりません。"}
	LessonPackets     = Msg{"The publisher's packets", "パブリッシャーのパケット"}
	BlipsHeading      = Msg{"Network blips, counted", "ネットワーク瞬断の集計"}
	BlipsHelp         = Msg{"Both clients' connections are cut at random packet boundaries again and again while the messages flow; each reconnects by itself with its session. The ledger then counts, by message_id, what was lost and what came twice.", "メッセージが流れる間、両クライアントの接続をランダムなパケット境界で何度も切断します。各クライアントはセッションを保って自動で再接続し、最後に台帳が message_id で消失と重複を数えます。"}
	BlipsMessages     = Msg{"Messages per QoS", "QoS ごとのメッセージ数"}
	BlipsCutMin       = Msg{"Cut after at least (packets)", "切断までの最小パケット数"}
	BlipsCutMax       = Msg{"and at most (packets)", "最大パケット数"}
	BlipsRun          = Msg{"Run QoS 0, 1 and 2", "QoS 0・1・2 を実行"}
	BlipsRunning      = Msg{"Running QoS %d: %d published, %d received, %d cuts…", "QoS %d を実行中：送信 %d、受信 %d、切断 %d 回…"}
	BlipsDone         = Msg{"Done.", "完了。"}
	BlipsExplain0     = Msg{"QoS 0: %d of %d lost. Every message on the wire when a connection went down is gone, and while the publisher reconnected it could not send at all (%d); nothing will ever resend them.", "QoS 0：%d / %d 通が消失。切断時に回線上にあったメッセージは失われ、再接続中はまったく送れません（%d 通）。再送されることもありません。"}
	BlipsExplain1     = Msg{"QoS 1: %d lost. Unacknowledged messages were resent after every reconnection, so %d copies reached the subscriber; its duplicate detection processed each message once (%d processed twice).", "QoS 1：消失 %d 通。確認応答のないメッセージは再接続のたびに再送され、%d 件のコピーがサブスクライバーに届きました。重複検出により各メッセージは1回だけ処理されました（二重処理 %d 件）。"}
)

// The fault lab: client crash and last will.
var (
	CrashHeading     = Msg{"Client crash: who hears the last will?", "クライアントの異常終了：ラストウィルは誰に届く？"}
	CrashHelp        = Msg{"A client connects with a last will on clients/…/status while a watcher subscribes to it. Then the client leaves in one of three ways; the broker publishes the will only when the connection ends without DISCONNECT.", "ラストウィル（clients/…/status）付きで接続したクライアントを、監視役が購読します。クライアントを3通りの方法で終了させると、ブローカーがウィルを配信するのは DISCONNECT なしで接続が終わったときだけだとわかります。"}
	CrashKeepAlive   = Msg{"Keepalive of the leaving client (seconds)", "終了するクライアントのキープアライブ（秒）"}
	CrashCrash       = Msg{"Crash (the connection closes, no DISCONNECT)", "クラッシュ（DISCONNECT なしで接続が閉じる）"}
	CrashFreeze      = Msg{"Network dies silently", "ネットワークが静かに途絶える"}
	CrashDisconnect  = Msg{"Clean disconnect", "正常に切断"}
	CrashRunning     = Msg{"Waiting for the will…", "ウィルを待っています…"}
	CrashDelivered   = Msg{"%s: the will arrived %s after the client left.", "%s：クライアントの終了から %s 後にウィルが届きました。"}
	CrashNone        = Msg{"%s: no will — the broker discarded it.", "%s：ウィルは届きませんでした。ブローカーが破棄しました。"}
	CrashExplainOpen = Msg{"A crash closes the connection: the broker sees it at once and publishes the will.", "クラッシュでは接続が閉じるので、ブローカーはすぐに気づいてウィルを配信します。"}
	CrashExplainIdle = Msg{"A silent network tells no one: the broker waits until a keepalive and a half pass without a packet (Mosquitto 2.0 checks only every few seconds), then gives the client up and publishes the will.", "無言で途絶えたネットワークは、誰にも何も知らせません。ブローカーはキープアライブの 1.5 倍の時間パケットが来ないのを待ち（Mosquitto 2.0 は数秒おきにしか確認しません）、クライアントを見限ってウィルを配信します。"}
	CrashExplainBye  = Msg{"DISCONNECT tells the broker the client left on purpose: the will is discarded.", "DISCONNECT はクライアントが意図して去ったことを伝えるので、ウィルは破棄されます。"}
)

// The fault lab: broker restart.
var (
	RestartHeading      = Msg{"Broker restart: do queued messages survive?", "ブローカーの再起動：キューのメッセージは残るか？"}
	RestartHelp         = Msg{"A persistent session subscribes and leaves; messages at QoS 1 and 2 are queued for it; the broker restarts; the session comes back. What it gets depends on the broker's persistence and on how it stopped. The restart disconnects every client of this server's broker.", "永続セッションのクライアントが購読して切断し、その間に QoS 1・2 のメッセージがキューに入ります。ブローカーを再起動したあと、クライアントがセッションを再開します。何を受け取れるかは、ブローカーの永続化の設定と止まり方で決まります。再起動すると、このサーバーのブローカーにつながっている全クライアントが切断されます。"}
	RestartBroker       = Msg{"Broker: %s, persistence now: %s.", "ブローカー：%s、現在の永続化：%s。"}
	RestartPersistence  = Msg{"Persistence", "永続化"}
	BrokerMosquitto     = Msg{"Mosquitto (managed by the server)", "Mosquitto（サーバーが管理）"}
	BrokerEmbedded      = Msg{"the embedded broker (mochi-mqtt)", "組み込みブローカー（mochi-mqtt）"}
	BrokerExternal      = Msg{"an external broker", "外部ブローカー"}
	PersistOffShort     = Msg{"off", "オフ"}
	PersistOnShort      = Msg{"on", "オン"}
	PersistDefShort     = Msg{"the default (about every second)", "既定（約1秒ごと）"}
	PersistOff          = Msg{"off: sessions and queues in memory only", "オフ：セッションとキューはメモリのみ"}
	PersistOn           = Msg{"on: the broker's own saving (Mosquitto: at a clean stop and every 30 minutes)", "オン：ブローカー自身の保存（Mosquitto：正常停止時と30分ごと）"}
	PersistJetStream    = Msg{"NATS JetStream: every change written as it happens, on three nodes", "NATS JetStream：変更はそのつど3つのノードに書き込まれる"}
	PersistUnknown      = Msg{"set by the broker's operator (unknown here)", "ブローカーの運用者が設定（ここからは不明）"}
	PersistDefault      = Msg{"the server's default: saved about every second", "サーバーの既定：約1秒ごとに保存"}
	RestartHow          = Msg{"How it stops", "止まり方"}
	RestartClean        = Msg{"clean stop (SIGTERM: it saves on the way down)", "正常停止（SIGTERM：停止時に保存）"}
	RestartCrash        = Msg{"crash (SIGKILL: nothing more is saved)", "クラッシュ（SIGKILL：それ以上は保存されない）"}
	RestartRun          = Msg{"Queue messages and restart", "メッセージをキューに入れて再起動"}
	RestartNotAllowed   = Msg{"Restart is not available here: %s", "ここでは再起動できません：%s"}
	RestartStepMsg      = Msg{"Step: %s", "手順：%s"}
	StepPrepare         = Msg{"the broker restarts with the chosen persistence", "選んだ永続化でブローカーを再起動"}
	StepAway            = Msg{"the persistent session subscribes and leaves", "永続セッションのクライアントが購読して切断"}
	StepQueue           = Msg{"messages are queued for it", "そのセッション宛てのメッセージがキューに入る"}
	StepRestart         = Msg{"the broker stops and starts again", "ブローカーを停止して再起動"}
	StepReturn          = Msg{"the session comes back", "クライアントが再接続してセッションを再開"}
	RestartResultText   = Msg{"Session present after the restart: %s. %d of %d queued messages lost (restart took %d ms).", "再起動後のセッション：%s。キューの %d / %d 通が消失（再起動 %d ms）。"}
	RestartExplainKept  = Msg{"The broker saved the session and its queue and read them back: everything queued survived.", "ブローカーはセッションとキューを保存して読み戻しました：キューの全メッセージが残りました。"}
	RestartExplainOff   = Msg{"Without persistence the broker keeps sessions in memory only: the restart forgot the session, its subscription and every queued message. QoS 1 and 2 promise delivery only as long as the broker remembers.", "永続化なしではセッションはメモリにしかありません：再起動でセッション、購読、キューのすべてが失われました。QoS 1・2 の配信保証はブローカーが覚えている間だけです。"}
	RestartExplainCrash = Msg{"The broker saves only at certain moments; the crash came before the next save, so what was queued since (and the session, if it was new) is gone. A clean stop would have saved it.", "ブローカーが保存するのは特定の時点だけです。次の保存の前にクラッシュしたため、それ以降のキュー（新しければセッションも）は失われました。正常停止なら保存されていました。"}
)
