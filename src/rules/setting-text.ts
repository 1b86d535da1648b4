/**
 * How a message names a local setting (issue 22, point 12): the Order leaves many periods and counts open
 * (a filing bureau's pace, a result notice's period, a joint team's size), and the engine enforces a value
 * the deployment chose. A message may state that value, but never as the Order's words: it names the
 * setting in Chinese and says it is this platform's setting and not the Order's, in its own sentence
 * (after "；"), apart from the sentence that cites the article. test/unit/messages-articles.test.ts checks
 * every message against the regulation's text and accepts a number only where this marker stands.
 */
export function settingZh(nameZh: string, value: number | string, unit: string): string {
  return `${nameZh}为本平台设置的${value}${unit}（本办法未规定该数值）`;
}
