import { Type } from 'typebox';

/** The facts a code's signature covers (src/codes/facts.ts), as the issuing routes return them. */
export const CodeFactsView = Type.Object(
  {
    code: Type.String({ description: '检查码 / the code' }),
    inspectionId: Type.String(),
    agencies: Type.Array(Type.String(), { description: '检查单位代码 / agency codes' }),
    enterprise: Type.String({ description: '被检查企业统一社会信用代码 / the enterprise’s credit code' }),
    matters: Type.Array(Type.String(), { description: '检查事项代码 / matter codes' }),
    kind: Type.Union(['routine', 'special', 'case', 'joint'].map((k) => Type.Literal(k)), { description: 'routine 日常 | special 专项 | case 案件办理 | joint 联合' }),
    validFrom: Type.String({ description: '生效时间（UTC，签名原文）/ effective start, UTC, signed verbatim' }),
    validTo: Type.String({ description: '失效时间（UTC，签名原文）/ end, UTC, signed verbatim' }),
    inspectorCount: Type.Integer({ minimum: 0, description: '检查人员人数（第十八条第（一）项）/ number of inspectors' }),
  },
  { description: '签名所覆盖的检查码事实 / the facts the code’s Ed25519 signature covers' },
);

/** An Ed25519 public key as a JWK (RFC 7517, RFC 8037), as /.well-known/inspection-keys publishes it. */
export const Ed25519Jwk = Type.Object(
  {
    kty: Type.Literal('OKP'),
    crv: Type.Literal('Ed25519'),
    x: Type.String({ description: '公钥（base64url）/ the public key, base64url' }),
    kid: Type.String({ description: '密钥编号 / key id' }),
    alg: Type.Literal('EdDSA'),
    use: Type.Literal('sig'),
  },
  { description: 'JWK (RFC 8037)' },
);

/** One entry of the published key set (/.well-known/inspection-keys; the audit checkpoints publish the same set). */
/** An SM2 public key as a JWK: the curve point, with `crv: "SM2"` (no registry assigns one; docs/CODE-FORMAT.md). */
export const Sm2Jwk = Type.Object(
  {
    kty: Type.Literal('EC'),
    crv: Type.Literal('SM2'),
    x: Type.String({ description: '公钥横坐标（base64url）/ the point’s x, base64url' }),
    y: Type.String({ description: '公钥纵坐标（base64url）/ the point’s y, base64url' }),
    kid: Type.String({ description: '密钥编号 / key id' }),
    alg: Type.Literal('SM2-SM3'),
    use: Type.Literal('sig'),
  },
  { description: 'JWK（SM2，GB/T 32918）' },
);

export const PublishedKey = Type.Object({
  kid: Type.String(),
  alg: Type.Union([Type.Literal('Ed25519'), Type.Literal('SM2-SM3')]),
  status: Type.Union([Type.Literal('active'), Type.Literal('standby'), Type.Literal('retired')]),
  publicKeyPem: Type.String(),
  jwk: Type.Union([Ed25519Jwk, Sm2Jwk]),
});
