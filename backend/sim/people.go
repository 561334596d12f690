package sim

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
)

// Common surnames of Henan and given-name characters: the synthetic callers
// read like real people without being anyone in particular.
var (
	surnames   = []rune("王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟段雷钱汤尹易常武乔贺龚文")
	givenChars = []rune("建国华明伟芳秀英敏静丽强磊军洋勇艳杰娟涛超霞平刚桂兰红玉梅凤振宇鹏辉浩晨欣雪婷志文金海林峰春燕波庆福荣莉娜丹")
	// Mobile prefixes of the three carriers.
	phonePrefixes = []string{"130", "131", "132", "133", "135", "136", "137", "138", "139",
		"150", "151", "152", "155", "156", "157", "158", "159", "176", "177", "180", "181", "182", "183", "186", "187", "188", "189"}
)

// personName returns a synthetic Chinese name of two or three characters.
func personName(rng *rand.Rand) string {
	var b strings.Builder
	b.WriteRune(surnames[rng.IntN(len(surnames))])
	n := 1 + rng.IntN(2)
	for range n {
		b.WriteRune(givenChars[rng.IntN(len(givenChars))])
	}
	return b.String()
}

// phoneNumber returns a synthetic 11-digit mainland mobile number.
func phoneNumber(rng *rand.Rand) string {
	return fmt.Sprintf("%s%08d", phonePrefixes[rng.IntN(len(phonePrefixes))], rng.IntN(100_000_000))
}

// Workers maps a grid id to the name of its grid worker.
type Workers map[string]string

// LoadWorkers reads workers.json from the geodata folder (an array of
// {"grid_id","name","phone"}). A missing file is no error: grid events are
// then signed by synthetic names.
func LoadWorkers(dir string) (Workers, error) {
	data, err := os.ReadFile(filepath.Join(dir, "workers.json"))
	if errors.Is(err, fs.ErrNotExist) {
		return Workers{}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("sim: read workers: %w", err)
	}
	var rows []struct {
		GridID string `json:"grid_id"`
		Name   string `json:"name"`
	}
	if err := json.Unmarshal(data, &rows); err != nil {
		return nil, fmt.Errorf("sim: parse %s: %w", filepath.Join(dir, "workers.json"), err)
	}
	w := make(Workers, len(rows))
	for _, r := range rows {
		w[r.GridID] = r.Name
	}
	return w, nil
}
