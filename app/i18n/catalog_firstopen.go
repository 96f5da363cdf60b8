package i18n

// The first open (issue 14): what the server's pre-rendered page says
// before the app has started, in the learner's language (server/lang.go,
// server/appfilter.go). The page is readable at once; these say that its
// controls are waiting for the app, and what went wrong when it cannot be
// downloaded. {progress} is the percentage downloaded.
var (
	FirstOpenDescription = Msg{"An MQTT learning lab in a browser tab: publish and subscribe at QoS 0, 1 and 2 against a real broker and watch every packet.", "ブラウザのタブで動く MQTT の学習ラボ。本物のブローカーに QoS 0、1、2 でパブリッシュ・サブスクライブし、すべてのパケットを観察できます。"}
	FirstOpenStarting    = Msg{"Starting… {progress}%", "起動中… {progress}%"}
	FirstOpenSlow        = Msg{"The download is slow (so far {progress}%): the buttons work once it has finished.", "ダウンロードに時間がかかっています（現在 {progress}%）。完了するとボタンが使えるようになります。"}
	FirstOpenFailed      = Msg{"The app could not be downloaded: the network or the server failed. The page is shown, but its buttons need the app.", "アプリをダウンロードできませんでした（ネットワークまたはサーバーの問題）。ページは表示されていますが、ボタンを使うにはアプリが必要です。"}
	FirstOpenOffline     = Msg{"This browser is offline, and the app is not stored in it yet: connect to the network and try again.", "このブラウザはオフラインで、アプリがまだ保存されていません。ネットワークに接続してから再試行してください。"}
	FirstOpenRetry       = Msg{"Try again", "再試行"}
)
