package main

import (
	"io"

	"github.com/sirupsen/logrus"
)

// logLevels are the values --log-level accepts, most verbose last.
var logLevels = []string{"error", "warn", "info", "debug"}

// newLogger returns a logrus logger writing text lines to w at the named
// level (one of logLevels; the flag's choice value has checked it).
func newLogger(w io.Writer, level string) *logrus.Logger {
	lvl, err := logrus.ParseLevel(level)
	if err != nil {
		lvl = logrus.InfoLevel
	}
	return &logrus.Logger{
		Out: w,
		Formatter: &logrus.TextFormatter{
			DisableColors:    true,
			FullTimestamp:    true,
			TimestampFormat:  "15:04:05",
			DisableSorting:   false,
			QuoteEmptyFields: true,
		},
		Hooks:    make(logrus.LevelHooks),
		Level:    lvl,
		ExitFunc: func(int) {}, // Fatal is never used: errors return to run
	}
}
