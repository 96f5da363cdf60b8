package i18n

// The installed app: the notice of a new version (app/ui/update.go).
var (
	UpdateReady  = m("A new version of QoS Playground is ready — reload to use it. Until then this tab runs the old one.", "QoS プレイグラウンドの新しいバージョンの準備ができました。再読み込みすると切り替わります（それまでこのタブは古いバージョンのままです）。")
	UpdateReload = m("Reload", "再読み込み")
	UpdateLater  = m("Later", "後で")
)
