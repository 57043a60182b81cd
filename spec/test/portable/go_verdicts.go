// The Go side of portable.test.ts: the spec's patterns through Go's regexp (RE2 syntax: no
// lookarounds, no \p{..} of ECMA-262's spelling, no \uXXXX). Reads one JSON request on stdin,
// prints JSON.
package main

import (
	"encoding/json"
	"os"
	"regexp"
	"strings"
)

type request struct {
	Patterns []string            `json:"patterns"`
	Probes   map[string][]string `json:"probes"`
	Sweep    struct {
		Pattern    string `json:"pattern"`
		CodePoints []rune `json:"codePoints"`
	} `json:"sweep"`
}

type answer struct {
	PatternErrors map[string]string `json:"patternErrors"`
	Matches       map[string][]bool `json:"matches"`
	Sweep         string            `json:"sweep"`
}

func main() {
	var req request
	if err := json.NewDecoder(os.Stdin).Decode(&req); err != nil {
		panic(err)
	}
	out := answer{PatternErrors: map[string]string{}, Matches: map[string][]bool{}}
	compiled := map[string]*regexp.Regexp{}
	for _, p := range req.Patterns {
		re, err := regexp.Compile(p)
		if err != nil {
			out.PatternErrors[p] = err.Error()
			continue
		}
		compiled[p] = re
	}
	for p, probes := range req.Probes {
		re, ok := compiled[p]
		if !ok {
			continue
		}
		for _, s := range probes {
			out.Matches[p] = append(out.Matches[p], re.MatchString(s))
		}
	}
	if re, err := regexp.Compile(req.Sweep.Pattern); err == nil {
		var bits strings.Builder
		for _, cp := range req.Sweep.CodePoints {
			c := string(cp)
			for _, s := range []string{c, "a" + c + "a"} {
				if re.MatchString(s) {
					bits.WriteByte('1')
				} else {
					bits.WriteByte('0')
				}
			}
		}
		out.Sweep = bits.String()
	}
	if err := json.NewEncoder(os.Stdout).Encode(out); err != nil {
		panic(err)
	}
}
