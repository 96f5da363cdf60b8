package i18n

// Sentence is a message with its arguments, put into words when shown: a
// package that decides what to say returns one, and the page says it in
// the learner's language (an argument that is a Msg or a Sentence is said
// in that language too).
type Sentence struct {
	Msg  Msg
	Args []any
}

// Say returns the sentence msg with args.
func Say(msg Msg, args ...any) Sentence { return Sentence{msg, args} }
