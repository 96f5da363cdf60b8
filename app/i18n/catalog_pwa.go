package i18n

// OpenFullApp links an embedded view to the whole app, in a new tab.
var OpenFullApp = Msg{"Open QoS Playground ↗", "QoS プレイグラウンドを開く ↗"}

// ErrUnreachable is what a page says when it cannot reach its server:
// offline, or the server is down.
var ErrUnreachable = Msg{"The server cannot be reached: this browser is offline or the server is down. The pages work without it; connecting to the broker needs it.", "サーバーに接続できません：このブラウザがオフラインか、サーバーが停止しています。ページはサーバーなしでも動きますが、ブローカーへの接続にはサーバーが必要です。"}

// The installed app: the notice of a new version (app/ui/update.go).
var (
	UpdateReady  = Msg{"A new version of QoS Playground is ready — reload to use it. Until then this tab runs the old one.", "QoS プレイグラウンドの新しいバージョンの準備ができました。再読み込みすると切り替わります（それまでこのタブは古いバージョンのままです）。"}
	UpdateReload = Msg{"Reload", "再読み込み"}
	UpdateLater  = Msg{"Later", "後で"}
)
