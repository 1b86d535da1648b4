import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config/config.js';

describe('RESULT_NOTIFY_WORKING_DAYS (Art. 18(5))', () => {
  it('defaults to 5 working days and reads a number', () => {
    expect(loadConfig({}).resultNotifyWorkingDays).toBe(5);
    expect(loadConfig({ RESULT_NOTIFY_WORKING_DAYS: '3' }).resultNotifyWorkingDays).toBe(3);
  });

  it('names the setting when it is not a positive whole number of days', () => {
    for (const bad of ['0', 'five', '61']) {
      expect(() => loadConfig({ RESULT_NOTIFY_WORKING_DAYS: bad }), bad).toThrow(ConfigError);
      try {
        loadConfig({ RESULT_NOTIFY_WORKING_DAYS: bad });
      } catch (err) {
        expect((err as ConfigError).setting).toBe('RESULT_NOTIFY_WORKING_DAYS');
      }
    }
  });
});
