import { Type } from 'typebox';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);

/** The `coordination` field of a single inspection's draft response (Art. 26: 应协同尽协同). */
export const CoordinationSchema = Type.Object(
  {
    overlapping: Type.Array(
      Type.Object({ inspectionId: Type.String(), agencyCode: Type.String(), state: Type.String(), windowStart: Type.String(), windowEnd: Type.String(), jointTaskId: Nullable(Type.String()) }),
      { description: '其他单位已计划或起草、时间重叠的现场检查 / other agencies’ overlapping visits' },
    ),
    jointTasks: Type.Array(
      Type.Object({
        jointTaskId: Type.String(),
        leadAgencyCode: Type.String(),
        state: Type.String(),
        windowStart: Type.String(),
        windowEnd: Type.String(),
        role: Nullable(Type.String()),
        unitState: Nullable(Type.String()),
        joinable: Type.Boolean({ description: '本单位已被分配、可接受加入 / this agency can join' }),
      }),
      { description: '该企业时间重叠的“综合查一次”任务 / open joint tasks at the enterprise' },
    ),
    jointListEntries: Type.Array(
      Type.Object({
        listId: Type.String(),
        listVersion: Type.Integer(),
        title: Type.String(),
        entryCode: Type.String(),
        entryName: Type.String(),
        leadAgencyCode: Type.String(),
        role: Type.String({ description: 'lead 发起单位 | cooperating 协同单位' }),
        matterCodes: Type.Array(Type.String()),
      }),
      { description: '覆盖本次检查事项的已公布“综合查一次”事项 / published joint-list entries covering the matters' },
    ),
    offers: Type.Array(Type.Union([Type.Literal('join'), Type.Literal('launch_joint_task')]), { description: 'join 加入联合检查 | launch_joint_task 发起联合检查' }),
    advice: Nullable(Type.String({ description: '协同建议 / advice' })),
    aloneReason: Nullable(Type.String({ description: '单独检查的理由（已记录）/ the recorded reason for going alone' })),
    proposals: Type.Optional(
      Type.Array(
        Type.Object({
          id: Type.String(),
          source: Type.Union([Type.Literal('plan'), Type.Literal('scheme')]),
          state: Type.String(),
          created: Type.Boolean({ description: '本次起草提出的建议（否则为已有的待答复建议）/ made by this draft' }),
          enterpriseName: Type.String(),
          entryCode: Type.String(),
          leadAgencyCode: Type.String(),
          units: Type.Array(Type.Object({ agencyCode: Type.String(), agencyName: Type.String(), role: Type.Union([Type.Literal('lead'), Type.Literal('cooperating')]), inspectionId: Nullable(Type.String()) })),
          windowStart: Type.String(),
          windowEnd: Type.String(),
          respondBy: Type.String({ description: '各单位答复期限 / units answer by' }),
        }),
        { description: '向本单位和其他单位提出的“综合查一次”联合检查建议（第二十六条至第二十八条）/ joint visits proposed' },
      ),
    ),
  },
  { description: '“应协同尽协同”（第二十六条）/ coordination advice' },
);
