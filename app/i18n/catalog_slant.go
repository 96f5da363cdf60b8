package i18n

// The sequence diagram's arrows slanted by the link's set conditions
// (package seqdiag, slant.go).
var (
	SeqSlantNote = Msg{
		"Arrows slant by the link's set delay, written at each arrow's start: the one-way latency (jitter counted as its mean) plus the time the packet's bytes take at the set bandwidth. The page does not measure when the broker sent or received a packet, and the gaps between arrows are not to scale.",
		"矢印は、設定した回線の遅延の分だけ傾けて描いています（その時間を矢印の始点に表示）。片道の遅延（ゆらぎは平均値）に、設定した帯域でそのパケットのバイト列を送る時間を足したものです。ブローカーが実際に送受信した時刻を測ったものではなく、矢印と矢印の間隔も時間に比例していません。",
	}
	SeqSlantCapped = Msg{"A delay longer than 2.5 s is drawn as 2.5 s (the arrow says its time).", "2.5 秒を超える遅延は 2.5 秒分の傾きで描いています（時間は矢印に書いてあります）。"}
	// SeqSlantMS is an arrow's time on the link, in milliseconds.
	SeqSlantMS = Msg{"%d ms", "%d ms"}
	// SeqSlantAria adds it to the arrow's accessible name.
	SeqSlantAria = Msg{", about %d ms on the link as set", "、設定上の回線の時間は約 %d ms"}
)
