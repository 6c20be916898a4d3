// Fields of a Stat Server AgentStatus value (CurrentAgentState). Platform SDK prints
// them as `Status`, `Time`, ...; the JSON key case of the v3 API is in no source
// (docs/genesys-fidelity.md), so they are read without case, like the bridge does
// (statsbridge/agent_status.py agent_field).

export function agentField(raw, name) {
  if (!raw || typeof raw !== "object" || Array.isArray(raw)) return undefined;
  if (Object.hasOwn(raw, name)) return raw[name];
  const wanted = name.toLowerCase();
  const key = Object.keys(raw).find((k) => k.toLowerCase() === wanted);
  return key === undefined ? undefined : raw[key];
}
