/**
 * ajv's validation errors in Chinese (issue 11: no English inside a zh-CN message). The field is named
 * by its path in the request (body.windowEnd), which is how the client spelt it; the message says what is
 * wrong in Chinese, from the keyword and its parameters. An unknown keyword falls back to a neutral phrase,
 * never to ajv's English text.
 */
export interface AjvError {
  keyword: string;
  params?: Record<string, unknown>;
}

const TYPE_ZH: Record<string, string> = {
  string: '字符串',
  number: '数值',
  integer: '整数',
  boolean: '布尔值',
  object: '对象',
  array: '数组',
  null: '空值',
};

const FORMAT_ZH: Record<string, string> = {
  uuid: '通用唯一标识符',
  date: '日期（年-月-日）',
  'date-time': '日期时间（含时区）',
  email: '电子邮箱',
  uri: '网址',
};

export function validationMessageZh(e: AjvError): string {
  const p = e.params ?? {};
  switch (e.keyword) {
    case 'required':
      return '为必填项';
    case 'type': {
      const types = String(p.type ?? '').split(',').map((t) => TYPE_ZH[t.trim()] ?? '其他类型');
      return `应为${types.join('或')}`;
    }
    case 'format':
      return `格式应为${FORMAT_ZH[String(p.format)] ?? '规定格式'}`;
    case 'pattern':
      return '格式不符合要求';
    case 'minLength':
      return `长度不得少于 ${String(p.limit)} 个字符`;
    case 'maxLength':
      return `长度不得超过 ${String(p.limit)} 个字符`;
    case 'minimum':
    case 'exclusiveMinimum':
      return `不得小于${e.keyword === 'exclusiveMinimum' ? '或等于' : ''} ${String(p.limit)}`;
    case 'maximum':
    case 'exclusiveMaximum':
      return `不得大于${e.keyword === 'exclusiveMaximum' ? '或等于' : ''} ${String(p.limit)}`;
    case 'minItems':
      return `至少应有 ${String(p.limit)} 项`;
    case 'maxItems':
      return `最多只能有 ${String(p.limit)} 项`;
    case 'uniqueItems':
      return '不得有重复项';
    case 'additionalProperties':
      return `不允许出现字段 ${String(p.additionalProperty ?? '')}`.trimEnd();
    case 'enum':
    case 'const':
    case 'anyOf':
    case 'oneOf':
      return '取值不在允许范围内';
    case 'minProperties':
      return '不得为空';
    default:
      return '不符合要求';
  }
}
