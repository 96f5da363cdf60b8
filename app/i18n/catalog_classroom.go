package i18n

// Classroom mode (-classroom): the room badge and form (app/ui/classroom.go)
// and the gateway's notices in the activity log.
var (
	ClassroomLabel       = Msg{"Classroom room", "クラスのルーム"}
	ClassroomPrivate     = Msg{"your own room", "自分だけのルーム"}
	ClassroomRoomIs      = Msg{"Room: %s", "ルーム：%s"}
	ClassroomHelp        = Msg{"This server keeps learners apart: your topics and client ids are yours alone. Enter the room code your teacher gives you to work with your group; the page reloads.", "このサーバーでは学習者ごとに場所が分かれていて、トピックとクライアント ID はあなただけのものです。グループで作業するときは、先生から伝えられたルームコードを入力してください（ページが再読み込みされます）。"}
	ClassroomCodeLabel   = Msg{"Room code", "ルームコード"}
	ClassroomJoin        = Msg{"Join", "参加"}
	ClassroomLeave       = Msg{"Leave the room", "ルームを離れる"}
	ClassroomBadCode     = Msg{"A room code has 1 to 32 letters a-z, digits, - or _.", "ルームコードは 1〜32 文字の英字 a-z・数字・-・_ です。"}
	ClassroomBadLinkRoom = Msg{"The link's room code %s is not valid: you are in your own room.", "リンクのルームコード %s は無効です。自分だけのルームにいます。"}

	LogClassroomDropped = Msg{"the server dropped your PUBLISH to %s (it never reached the broker): %s", "サーバーが %s への PUBLISH を破棄しました（ブローカーには届いていません）：%s"}
	LogClassroomFilter  = Msg{"the server refused the filter %s: %s", "サーバーがフィルター %s を拒否しました：%s"}
	LogClassroomConnect = Msg{"the server refused the connection (%s): %s", "サーバーが接続を拒否しました（%s）：%s"}
	LogServerNotice     = Msg{"message from the server: %s", "サーバーからのメッセージ：%s"}

	ClassroomReasonDollar   = Msg{"topics starting with $ (like $SYS/#) belong to the broker, not to a room", "$ で始まるトピック（$SYS/# など）はブローカーのもので、ルームの中にはありません"}
	ClassroomReasonInvalid  = Msg{"not a valid MQTT topic", "MQTT のトピックとして正しくありません"}
	ClassroomReasonTooLong  = Msg{"too long once the room's prefix is added", "ルームの接頭辞を付けると長すぎます"}
	ClassroomReasonClientID = Msg{"in a classroom every client id of this tab starts with %s", "クラスルームでは、このタブのクライアントIDはすべて %s で始まります"}
)
