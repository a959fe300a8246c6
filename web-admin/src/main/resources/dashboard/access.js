// The signed-in user's role and what it allows (viewer < operator < admin), as the API's route roles say.

const RANK = { viewer: 1, operator: 2, admin: 3 };
let role = null;

/** Sets the role the page was built for; the body carries it for styles. */
export function setRole(next) {
  role = next;
  document.body.dataset.role = next ?? '';
}

export function currentRole() {
  return role;
}

/** True when the signed-in role may use a control that needs the given role. */
export function allows(needed) {
  return (RANK[role] ?? 0) >= (RANK[needed] ?? Infinity);
}
