import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { CalendarService } from './calendar-service.js';
import { PERSON_ROLES } from '../auth/principal.js';
import { correctCalendarDay } from './day-correction.js';
import { enterCalendarYear } from './year-entry.js';
import { CalendarYearUnpublishedError, DAY_KIND_ZH, type WorkingCalendar } from './working-calendar.js';
import { runCommand } from '../commands/command.js';
import { DomainError } from '../errors/domain-error.js';
import { commandContext } from '../http/context.js';
import { CalendarDate, responses, ShortText } from '../http/schemas.js';
import { settlePendingDueDates } from '../referrals/pending-due.js';
import { redateAfterCalendarChange } from '../referrals/redate.js';

/** Turns "year not published" into the registry error the caller can act on. */
function withCalendar<T>(calendar: WorkingCalendar, fn: (c: WorkingCalendar) => T): T {
  try {
    return fn(calendar);
  } catch (err) {
    if (err instanceof CalendarYearUnpublishedError) {
      throw new DomainError('CALENDAR_YEAR_UNPUBLISHED', `${err.year} 年的法定节假日安排尚未录入，无法计算工作日；请管理员录入该年度安排`, {
        year: err.year,
        knownYears: calendar.knownYears(),
      });
    }
    throw err;
  }
}

const DayEntry = Type.Object({ date: CalendarDate, name: ShortText('名称 / name', 50) }, { additionalProperties: false });

export const calendarRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/calendar/days/:date',
    {
      config: { access: PERSON_ROLES },
      schema: {
        tags: ['calendar'],
        summary: '某日是否为工作日 / is a date a working day',
        params: Type.Object({ date: CalendarDate }),
        response: responses(
          Type.Object({
            date: Type.String(),
            kind: Type.String({ description: 'workday 工作日 | weekend 休息日 | holiday 法定节假日 | adjusted_rest_day 调休休息日 | adjusted_workday 调休上班日' }),
            label: Type.String({ description: '中文名称：工作日、休息日、法定节假日、调休休息日、调休上班日' }),
            working: Type.Boolean(),
            name: Type.Union([Type.String(), Type.Null()]),
          }),
          200,
          [422], // CALENDAR_YEAR_UNPUBLISHED
        ),
      },
    },
    async (req) => {
      const calendar = await app.services.calendar.current();
      const { date } = req.params;
      return withCalendar(calendar, (c) => {
        const kind = c.dayKind(date);
        return { date, kind, label: DAY_KIND_ZH[kind], working: kind === 'workday' || kind === 'adjusted_workday', name: c.dayName(date) ?? null };
      });
    },
  );

  app.get(
    '/calendar/add-working-days',
    {
      config: { access: PERSON_ROLES },
      schema: {
        tags: ['calendar'],
        summary: '第 N 个工作日（如第二十三条的 10 个工作日）/ the n-th working day after a date',
        querystring: Type.Object({ from: CalendarDate, days: Type.Integer({ minimum: 0, maximum: 366 }) }),
        response: responses(Type.Object({ from: Type.String(), days: Type.Integer(), result: Type.String() }), 200, [422]), // CALENDAR_YEAR_UNPUBLISHED
      },
    },
    async (req) => {
      const calendar = await app.services.calendar.current();
      const { from, days } = req.query;
      return { from, days, result: withCalendar(calendar, (c) => c.addWorkingDays(from, days)) };
    },
  );

  app.get(
    '/calendar/years',
    {
      config: { access: PERSON_ROLES },
      schema: { tags: ['calendar'], summary: '已录入节假日安排的年度 / years with an official calendar', response: responses(Type.Object({ years: Type.Array(Type.Integer()) })) },
    },
    async () => ({ years: (await app.services.calendar.current()).knownYears() }),
  );

  app.put(
    '/calendar/years/:year',
    {
      config: { access: ['admin'] },
      schema: {
        tags: ['calendar'],
        summary: '录入或更正某年度的节假日和调休安排（无需发版）/ publish or correct a year’s holidays and adjusted working days',
        params: Type.Object({ year: Type.Integer({ minimum: 2000, maximum: 2100 }) }),
        body: Type.Object(
          {
            source: ShortText('依据文件，如国办发明电〔2026〕X号 / source document', 200),
            holidays: Type.Array(DayEntry, { minItems: 1, maxItems: 60, description: '法定节假日 / statutory holidays' }),
            restDays: Type.Optional(Type.Array(DayEntry, { maxItems: 30, description: '调休休息日（非法定节假日）/ rest days moved by the arrangement' })),
            workdays: Type.Array(DayEntry, { maxItems: 30, description: '调休上班日 / adjusted working days' }),
          },
          { additionalProperties: false },
        ),
        response: responses(
          Type.Object({
            year: Type.Integer(),
            holidays: Type.Integer(),
            restDays: Type.Integer(),
            workdays: Type.Integer(),
            referralDueDatesSet: Type.Integer({ description: '随之补定期限的移送件数（期限待定的）/ pending referral due dates filled' }),
            referralDueDatesMoved: Type.Integer({ description: '因更正而重新计算、期限改变的移送件数 / referral due dates moved by the change' }),
          }),
        ),
      },
    },
    async (req) => {
      const { year } = req.params;
      const ctx = commandContext(req);
      const out = await runCommand(ctx, { subjectType: 'calendar', subjectId: String(year) }, async (tx, scope) => {
        const counts = await enterCalendarYear(tx, scope, year, req.body);
        // Read inside the transaction: the calendar now holds the year just entered.
        const calendar = await new CalendarService(tx).current();
        const settled = await settlePendingDueDates(tx, scope, ctx.actor, calendar, year);
        // A year entered again (corrected) may move due dates already counted on it.
        const moved = await redateAfterCalendarChange(tx, scope, ctx.actor, calendar, `${year}-01-01`, `${year}-12-31`);
        return { ...counts, referralDueDatesSet: settled.filled, referralDueDatesMoved: moved };
      });
      app.services.calendar.invalidate();
      return { year, ...out };
    },
  );

  app.put(
    '/calendar/days/:date',
    {
      config: { access: ['admin'] },
      schema: {
        tags: ['calendar'],
        summary: '更正已录入年度中的某一日（无需重新录入全年）/ correct one day of an entered year',
        params: Type.Object({ date: CalendarDate }),
        body: Type.Object(
          {
            kind: Type.Union([Type.Literal('holiday'), Type.Literal('rest'), Type.Literal('workday'), Type.Literal('ordinary')], {
              description: 'holiday 法定节假日 | rest 调休休息日 | workday 调休上班日 | ordinary 普通工作日或周末',
            }),
            name: Type.Optional(ShortText('名称 / name', 50)),
            source: ShortText('更正依据 / source of the correction', 200),
          },
          { additionalProperties: false },
        ),
        response: responses(
          Type.Object({
            date: Type.String(),
            kind: Type.String(),
            before: Type.Union([Type.String(), Type.Null()]),
            referralDueDatesMoved: Type.Integer({ description: '因更正而重新计算、期限改变的移送件数 / referral due dates moved by the correction' }),
          }),
        ),
      },
    },
    async (req) => {
      const { date } = req.params;
      const ctx = commandContext(req);
      const out = await runCommand(ctx, { subjectType: 'calendar', subjectId: date }, async (tx, scope) => {
        const corrected = await correctCalendarDay(tx, scope, { date, ...req.body });
        const moved = await redateAfterCalendarChange(tx, scope, ctx.actor, await new CalendarService(tx).current(), date, date);
        return { ...corrected, referralDueDatesMoved: moved };
      });
      app.services.calendar.invalidate();
      return { date, kind: req.body.kind, before: out.before, referralDueDatesMoved: out.referralDueDatesMoved };
    },
  );
};

export default calendarRoutes;
