// The store's encryption (web/src/lock/vault.ts) on Node's WebCrypto, the same API as the
// browser's: entries sealed with the data key open with it only; the PIN and the password each
// open the data key, a wrong one never does; nothing sealed reads as the text it holds.
import { describe, expect, it } from "vitest";
import {
  createVault,
  openWithPassword,
  openWithPin,
  PBKDF2_ITERATIONS,
  seal,
  unseal,
  validPin,
  withNewPassword,
  withNewPin,
  WrongSecretError,
} from "../src/lock/vault";

// Fewer iterations keep the suite quick; one test below makes a vault as the app does.
const FAST = 1_000;
const CASUALTY = {
  kind: "identity_recorded",
  event_id: "5a1d4c1e-0000-4000-8000-000000000001",
  name_last: "Zhytomyrskyi",
  name_first: "Taras",
  unit: "Kraken Test Company",
  mgrs: "37U DQ 12345 67890",
};

function readable(bytes: ArrayBuffer | Uint8Array): string {
  return new TextDecoder("utf-8", { fatal: false }).decode(bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes));
}

describe("the store's vault", () => {
  it("seals an entry and opens it again with the key the PIN opens", async () => {
    const { vault, key } = await createVault("135790", "a long password", FAST);
    const sealed = await seal(key, CASUALTY);
    const again = await openWithPin(vault, "135790");
    expect(await unseal(again, sealed)).toEqual(CASUALTY);
  });

  it("opens the same key with the password", async () => {
    const { vault, key } = await createVault("135790", "a long password", FAST);
    const sealed = await seal(key, CASUALTY);
    expect(await unseal(await openWithPassword(vault, "a long password"), sealed)).toEqual(CASUALTY);
  });

  it("refuses a wrong PIN and a wrong password", async () => {
    const { vault } = await createVault("135790", "a long password", FAST);
    await expect(openWithPin(vault, "135791")).rejects.toBeInstanceOf(WrongSecretError);
    await expect(openWithPin(vault, "")).rejects.toBeInstanceOf(WrongSecretError);
    await expect(openWithPassword(vault, "a long passworD")).rejects.toBeInstanceOf(WrongSecretError);
  });

  it("opens nothing sealed under another user's key", async () => {
    const mine = await createVault("135790", "a long password", FAST);
    const theirs = await createVault("135790", "a long password", FAST);
    const sealed = await seal(mine.key, CASUALTY);
    await expect(unseal(theirs.key, sealed)).rejects.toBeInstanceOf(WrongSecretError);
  });

  it("keeps no name, unit, grid, PIN or password readable in what it stores", async () => {
    const { vault, key } = await createVault("135790", "a long password", FAST);
    const sealed = await seal(key, CASUALTY);
    const stored = readable(sealed.data) + JSON.stringify(vault) + readable(vault.pinWrapped!.data) + readable(vault.passwordWrapped.data);
    for (const secret of ["Zhytomyrskyi", "Taras", "Kraken", "37U DQ", "12345", "135790", "a long password"]) {
      expect(stored).not.toContain(secret);
    }
    // A fresh IV each time: the same entry sealed twice gives two different ciphertexts.
    const twice = await seal(key, CASUALTY);
    expect(Buffer.from(twice.iv).equals(Buffer.from(sealed.iv))).toBe(false);
    expect(Buffer.from(twice.data).equals(Buffer.from(sealed.data))).toBe(false);
  });

  it("detects a sealed entry that was altered", async () => {
    const { key } = await createVault("135790", "a long password", FAST);
    const sealed = await seal(key, CASUALTY);
    const bytes = new Uint8Array(sealed.data.slice(0));
    bytes[0] ^= 1;
    await expect(unseal(key, { iv: sealed.iv, data: bytes.buffer })).rejects.toBeInstanceOf(WrongSecretError);
  });

  it("takes a new PIN after the password opened it, and the old PIN no longer opens", async () => {
    const { vault, key } = await createVault("135790", "a long password", FAST);
    const sealed = await seal(key, CASUALTY);
    const renewed = await withNewPin({ ...vault, pinWrapped: null, failures: 5 }, "a long password", "246802");
    expect(renewed.failures).toBe(0);
    expect(await unseal(await openWithPin(renewed, "246802"), sealed)).toEqual(CASUALTY);
    await expect(openWithPin(renewed, "135790")).rejects.toBeInstanceOf(WrongSecretError);
    await expect(withNewPin(vault, "not the password", "246802")).rejects.toBeInstanceOf(WrongSecretError);
  });

  it("takes a changed password with the PIN, and the old password no longer opens", async () => {
    const { vault, key } = await createVault("135790", "the old password", FAST);
    const sealed = await seal(key, CASUALTY);
    const renewed = await withNewPassword(vault, "135790", "the new password");
    expect(await unseal(await openWithPassword(renewed, "the new password"), sealed)).toEqual(CASUALTY);
    await expect(openWithPassword(renewed, "the old password")).rejects.toBeInstanceOf(WrongSecretError);
    await expect(withNewPassword(vault, "000000", "the new password")).rejects.toBeInstanceOf(WrongSecretError);
  });

  it("accepts PINs of 6 to 12 digits only", async () => {
    expect([validPin("123456"), validPin("123456789012")]).toEqual([true, true]);
    expect([validPin("12345"), validPin("1234567890123"), validPin("12345a"), validPin("")]).toEqual([false, false, false, false]);
    await expect(createVault("1234", "a long password", FAST)).rejects.toThrow(/6 to 12 digits/);
  });

  it("makes a vault as the app does: PBKDF2 at 600,000 iterations", async () => {
    const started = performance.now();
    const { vault, key } = await createVault("135790", "a long password");
    const took = performance.now() - started;
    expect(vault.iterations).toBe(PBKDF2_ITERATIONS);
    expect(PBKDF2_ITERATIONS).toBeGreaterThanOrEqual(600_000);
    expect(vault.pinSalt).toHaveLength(16);
    expect(Buffer.from(vault.pinSalt).equals(Buffer.from(vault.passwordSalt))).toBe(false);
    expect(await unseal(await openWithPin(vault, "135790"), await seal(key, CASUALTY))).toEqual(CASUALTY);
    console.info(`a vault at ${PBKDF2_ITERATIONS} iterations took ${Math.round(took)} ms to make (3 derivations)`);
  }, 60_000);
});
