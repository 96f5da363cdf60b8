package i18n

// The teacher's board (-teacher-key-file): the sign-in page (server/teacher.go),
// the board (app/ui/teacher.go) and, in a learner's tab, the name the board
// shows and the teacher's offers (app/ui/classroom.go).
var (
	TeacherSignInTitle   = Msg{"Teacher's board: sign in", "先生用ボード：サインイン"}
	TeacherSignInHelp    = Msg{"Enter the teacher's key of this server and the code of the room you teach. The key is sent only in this form, never in a link.", "このサーバーの先生用キーと、授業で使うルームコードを入力してください。キーはこのフォームでだけ送られ、リンクに含まれることはありません。"}
	TeacherKeyLabel      = Msg{"Teacher's key", "先生用キー"}
	TeacherSignIn        = Msg{"Sign in", "サインイン"}
	TeacherSignInWrong   = Msg{"That key is not this server's teacher's key.", "キーが正しくありません。"}
	TeacherSignInLimited = Msg{"Too many wrong keys: wait a minute before trying again.", "誤ったキーが続いたため、1 分ほど待ってからもう一度試してください。"}
)

// In a learner's tab, on a server with a board (the room badge).
var (
	BoardSeesHelp  = Msg{"Your teacher's board shows the name you give here, the checkpoints you have earned, the page you are on and a summary of your last experiment: nothing else.", "先生のボードには、ここで入力した名前・達成したチェックポイント・いま開いているページ・直前の実験の概要だけが表示されます。"}
	BoardNameLabel = Msg{"Your name on the teacher's board", "先生のボードに表示する名前"}
	BoardNameSave  = Msg{"Save", "保存"}
	BoardNameSaved = Msg{"Saved.", "保存しました。"}
)

// The board (app/ui/teacher.go).
var (
	BoardTitle         = Msg{"Teacher's board", "先生用ボード"}
	BoardTagline       = Msg{"Who has earned which checkpoint, live", "だれがどのチェックポイントを達成したかをリアルタイムで"}
	BoardShowRoom      = Msg{"Show", "表示"}
	BoardSignOut       = Msg{"Sign out", "サインアウト"}
	BoardOff           = Msg{"This server has no teacher's board (it was started without -teacher-key-file).", "このサーバーでは先生用ボードが有効になっていません（-teacher-key-file なしで起動されています）。"}
	BoardNoRoom        = Msg{"Enter the code of the room you teach to see its learners.", "授業で使うルームコードを入力すると、そのルームの学習者が表示されます。"}
	BoardRoomHeading   = Msg{"Room %s", "ルーム %s"}
	BoardStatus        = Msg{"Room %s — learners: %d, idle: %d", "ルーム %s：学習者 %d 人（うち操作なし %d 人）"}
	BoardLive          = Msg{"live", "リアルタイム更新中"}
	BoardConnecting    = Msg{"connecting…", "接続中…"}
	BoardOffline       = Msg{"not connected", "未接続"}
	BoardOrder         = Msg{"Sort by", "並べ替え"}
	BoardByName        = Msg{"name", "名前"}
	BoardByProgress    = Msg{"checkpoints earned", "達成したチェックポイント数"}
	BoardByActivity    = Msg{"longest idle first", "操作のない時間が長い順"}
	BoardEmpty         = Msg{"No learner has reported yet. Learners join with the room code %s (in the header of every page), or with a link ending in ?room=CODE.", "まだ学習者からの報告はありません。学習者は各ページ上部でルームコード %s を入力するか、?room=コード 付きのリンクから参加します。"}
	BoardLearner       = Msg{"Learner", "学習者"}
	BoardPage          = Msg{"Page", "ページ"}
	BoardLast          = Msg{"Last experiment", "直前の実験"}
	BoardActivity      = Msg{"Last change", "最終更新"}
	BoardCounts        = Msg{"Earned", "達成人数"}
	BoardIdleCount     = Msg{"%d idle for 5 minutes or more", "5 分以上操作のない学習者：%d 人"}
	BoardNoName        = Msg{"(no name, tab %s)", "（名前なし・タブ %s）"}
	BoardAgo           = Msg{"%d min ago", "%d 分前"}
	BoardIdleFor       = Msg{"idle for %d min", "%d 分間操作なし"}
	BoardColQoS        = Msg{"QoS 0/1/2", "QoS 0/1/2"}
	BoardColPersistent = Msg{"Persistent session", "永続セッション"}
	BoardColDuplicates = Msg{"Duplicates", "重複の検出"}
	BoardColRetries    = Msg{"Retries", "リトライ"}
	BoardColChoice     = Msg{"QoS choice", "QoS の選択"}
)

// The teacher's offer, in a learner's tab and on the board.
var (
	OfferBanner    = Msg{"Your teacher suggests: %s", "先生からの提案：%s"}
	OfferOpen      = Msg{"Open", "開く"}
	OfferDismiss   = Msg{"Dismiss", "閉じる"}
	OfferHeading   = Msg{"Send an experiment", "実験を送る"}
	OfferHelp      = Msg{"Paste a link of the playground (a page and its settings, as for a course page's embed: e.g. /lab/task1?scenario=smarthome&light=0). Each learner's tab shows it as a suggestion with \"Open\" and \"Dismiss\"; no tab moves by itself.", "プレイグラウンドのリンク（ページと設定。教材ページへの埋め込みと同じ形式。例：/lab/task1?scenario=smarthome&light=0）を貼り付けてください。学習者のタブには「開く」「閉じる」付きの提案として表示され、勝手にページが切り替わることはありません。"}
	OfferLinkLabel = Msg{"Link to send", "送るリンク"}
	OfferSend      = Msg{"Send to the room", "ルームに送る"}
	OfferBadLink   = Msg{"Not a page of the playground: paste a link such as /lab/task1?scenario=smarthome.", "プレイグラウンドのページではありません。/lab/task1?scenario=smarthome のようなリンクを貼り付けてください。"}
	OfferCurrent   = Msg{"Offered now: %s", "提案中：%s"}
	OfferNone      = Msg{"No offer is out.", "提案は送っていません。"}
	OfferWithdraw  = Msg{"Withdraw", "取り下げる"}
)

// The board's tools.
var (
	BoardCSV      = Msg{"Download CSV", "CSV をダウンロード"}
	BoardClear    = Msg{"Clear the room…", "ルームをクリア…"}
	BoardClearAsk = Msg{"Remove the progress of all %d learners of room %s from the broker? Learners keep their own checklists; a learner still working reappears with the next change.", "ルーム %[2]s の学習者 %[1]d 人の進捗をブローカーから削除しますか？学習者自身のチェックリストはそのまま残り、作業を続けている学習者は次の変化で再び表示されます。"}
	BoardClearYes = Msg{"Clear", "クリアする"}
)

// The class's Task 1 choices (the board).
var (
	BoardTask1Heading     = Msg{"Task 1: the class's choices", "課題1：クラスの QoS 選択"}
	BoardTask1None        = Msg{"Nobody has run Task 1 yet.", "まだだれも課題1を実行していません。"}
	BoardTask1Recommended = Msg{"(recommended)", "（推奨）"}
	BoardTask1Legend      = Msg{"Each cell counts the learners whose last Task 1 run used that QoS; ★ marks the recommended QoS.", "各セルは、直前の課題1の実行でその QoS を選んだ学習者の人数です。★ は推奨される QoS です。"}
)

// A learner's last experiment on the board (board.ParseLast), in the
// teacher's language.
var (
	BoardLastTask1   = Msg{"Task 1, %s: %s", "課題1・%s：%s"}
	BoardLastStream  = Msg{"%s QoS %d (%s)", "%s QoS %d（%s）"}
	BoardLastLesson  = Msg{"Fault lab, QoS %d lesson: received %d, duplicates %d, processed %d", "障害ラボ・QoS %d のレッスン：受信 %d、重複 %d、処理 %d"}
	BoardVerdictFits = Msg{"fits", "適切"}
	BoardVerdictLose = Msg{"may lose what matters", "失うと困る"}
	BoardVerdictDup  = Msg{"may double what matters", "重複すると困る"}
	BoardVerdictCost = Msg{"costlier than needed", "過剰"}
)
