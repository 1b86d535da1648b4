import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config/config.js';

describe('FOLLOW_UP_DAYS (第二十条第二款 跟踪检查期限)', () => {
  it('defaults to 15 days after the enterprise’s due date and reads a number', () => {
    expect(loadConfig({}).followUpDays).toBe(15);
    expect(loadConfig({ FOLLOW_UP_DAYS: '30' }).followUpDays).toBe(30);
  });

  it('names the setting when it is not a whole number of days', () => {
    for (const bad of ['-1', 'soon', '181']) {
      try {
        loadConfig({ FOLLOW_UP_DAYS: bad });
        throw new Error(`accepted ${bad}`);
      } catch (err) {
        expect(err, bad).toBeInstanceOf(ConfigError);
        expect((err as ConfigError).setting).toBe('FOLLOW_UP_DAYS');
      }
    }
  });
});
