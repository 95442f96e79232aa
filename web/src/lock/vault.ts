// The device store's encryption, on the browser's WebCrypto only (no crypto of our own).
//
// Each user's store has a random data key (AES-GCM, 256 bits) that encrypts the entries. The
// data key is kept on the device only wrapped (encrypted) twice: once with a key derived from
// the user's PIN, once with a key derived from their password (PBKDF2-SHA-256, a random salt
// each, 600,000 iterations as OWASP advises for SHA-256). The PIN unlocks the phone day to day;
// after too many wrong PINs the PIN's copy is deleted and only the password opens the store.
// Every encryption takes a fresh random 96-bit IV; AES-GCM's tag makes a wrong key fail loudly.

/** PBKDF2 iterations for a new vault (OWASP 2023, PBKDF2-HMAC-SHA256). */
export const PBKDF2_ITERATIONS = 600_000;
/** Wrong PINs in a row before the PIN no longer opens the store (the password still does). */
export const PIN_TRIES = 5;
/** A PIN is 6 to 12 digits: a 6-digit PIN is a million guesses, each slowed by PBKDF2. */
export const PIN_MIN = 6;
export const PIN_MAX = 12;

/** Bytes encrypted with AES-GCM, with the IV they were encrypted under. */
export interface Sealed {
  iv: Uint8Array;
  data: ArrayBuffer;
}

/** What the device keeps to open a user's store: never the data key in clear. */
export interface Vault {
  version: 1;
  iterations: number;
  pinSalt: Uint8Array;
  /** The data key wrapped by the PIN's key; null after too many wrong PINs. */
  pinWrapped: Sealed | null;
  passwordSalt: Uint8Array;
  passwordWrapped: Sealed;
  /** Wrong PINs since the last right one. */
  failures: number;
}

/** The PIN or password did not open the vault (AES-GCM's tag did not match). */
export class WrongSecretError extends Error {
  constructor() {
    super("wrong PIN or password");
  }
}

const subtle = () => globalThis.crypto.subtle;

function random(bytes: number): Uint8Array<ArrayBuffer> {
  return globalThis.crypto.getRandomValues(new Uint8Array(bytes));
}

/** Whether a PIN has the form the app accepts (digits only, 6 to 12 of them). */
export function validPin(pin: string): boolean {
  return new RegExp(`^[0-9]{${PIN_MIN},${PIN_MAX}}$`).test(pin);
}

/** Derive the key that wraps the data key from a PIN or password (PBKDF2-SHA-256). */
export async function wrappingKey(secret: string, salt: Uint8Array, iterations: number): Promise<CryptoKey> {
  const material = await subtle().importKey("raw", new TextEncoder().encode(secret), "PBKDF2", false, ["deriveKey"]);
  return subtle().deriveKey(
    { name: "PBKDF2", hash: "SHA-256", salt: salt as Uint8Array<ArrayBuffer>, iterations },
    material,
    { name: "AES-GCM", length: 256 },
    false,
    ["wrapKey", "unwrapKey"],
  );
}

async function wrap(dataKey: CryptoKey, secret: string, salt: Uint8Array, iterations: number): Promise<Sealed> {
  const iv = random(12);
  const data = await subtle().wrapKey("raw", dataKey, await wrappingKey(secret, salt, iterations), { name: "AES-GCM", iv });
  return { iv, data };
}

async function unwrap(wrapped: Sealed, secret: string, salt: Uint8Array, iterations: number): Promise<CryptoKey> {
  try {
    return await subtle().unwrapKey(
      "raw",
      wrapped.data,
      await wrappingKey(secret, salt, iterations),
      { name: "AES-GCM", iv: wrapped.iv as Uint8Array<ArrayBuffer> },
      { name: "AES-GCM", length: 256 },
      false, // the unwrapped key cannot be exported by any script
      ["encrypt", "decrypt"],
    );
  } catch {
    throw new WrongSecretError();
  }
}

/** Make a new vault for a user: a random data key, wrapped by the PIN and by the password. */
export async function createVault(
  pin: string,
  password: string,
  iterations = PBKDF2_ITERATIONS,
): Promise<{ vault: Vault; key: CryptoKey }> {
  if (!validPin(pin)) throw new Error(`a PIN is ${PIN_MIN} to ${PIN_MAX} digits`);
  const fresh = await subtle().generateKey({ name: "AES-GCM", length: 256 }, true, ["encrypt", "decrypt"]);
  const pinSalt = random(16);
  const passwordSalt = random(16);
  const vault: Vault = {
    version: 1,
    iterations,
    pinSalt,
    pinWrapped: await wrap(fresh, pin, pinSalt, iterations),
    passwordSalt,
    passwordWrapped: await wrap(fresh, password, passwordSalt, iterations),
    failures: 0,
  };
  // Use the key as unwrapped (not extractable), and check the copy kept opens.
  return { vault, key: await unwrap(vault.pinWrapped!, pin, pinSalt, iterations) };
}

/** Open the data key with the PIN; WrongSecretError if it is wrong or no longer accepted. */
export async function openWithPin(vault: Vault, pin: string): Promise<CryptoKey> {
  if (!vault.pinWrapped || !validPin(pin)) throw new WrongSecretError();
  return unwrap(vault.pinWrapped, pin, vault.pinSalt, vault.iterations);
}

/** Open the data key with the password; WrongSecretError if it is wrong. */
export async function openWithPassword(vault: Vault, password: string): Promise<CryptoKey> {
  return unwrap(vault.passwordWrapped, password, vault.passwordSalt, vault.iterations);
}

// The data key must be extractable to be wrapped again: it is opened once more, extractable,
// from one copy, wrapped for the other, and dropped.
async function extractable(wrapped: Sealed, secret: string, salt: Uint8Array, iterations: number): Promise<CryptoKey> {
  try {
    return await subtle().unwrapKey(
      "raw",
      wrapped.data,
      await wrappingKey(secret, salt, iterations),
      { name: "AES-GCM", iv: wrapped.iv as Uint8Array<ArrayBuffer> },
      { name: "AES-GCM", length: 256 },
      true,
      ["encrypt", "decrypt"],
    );
  } catch {
    throw new WrongSecretError();
  }
}

/** A vault whose data key is wrapped by a new PIN (after the password opened it). */
export async function withNewPin(vault: Vault, password: string, pin: string): Promise<Vault> {
  if (!validPin(pin)) throw new Error(`a PIN is ${PIN_MIN} to ${PIN_MAX} digits`);
  const key = await extractable(vault.passwordWrapped, password, vault.passwordSalt, vault.iterations);
  const pinSalt = random(16);
  return { ...vault, pinSalt, pinWrapped: await wrap(key, pin, pinSalt, vault.iterations), failures: 0 };
}

/** A vault whose data key is wrapped by a new password (the user's password changed on the
 * server since this phone's store was made; the PIN opened it). */
export async function withNewPassword(vault: Vault, pin: string, password: string): Promise<Vault> {
  if (!vault.pinWrapped) throw new WrongSecretError();
  const key = await extractable(vault.pinWrapped, pin, vault.pinSalt, vault.iterations);
  const passwordSalt = random(16);
  return { ...vault, passwordSalt, passwordWrapped: await wrap(key, password, passwordSalt, vault.iterations) };
}

/** Encrypt a value (as JSON) with the data key and a fresh IV. */
export async function seal(key: CryptoKey, value: unknown): Promise<Sealed> {
  const iv = random(12);
  const data = await subtle().encrypt({ name: "AES-GCM", iv }, key, new TextEncoder().encode(JSON.stringify(value)));
  return { iv, data };
}

/** Decrypt what `seal` made; WrongSecretError if the key is not the one it was sealed with. */
export async function unseal<T>(key: CryptoKey, sealed: Sealed): Promise<T> {
  let plain: ArrayBuffer;
  try {
    plain = await subtle().decrypt({ name: "AES-GCM", iv: sealed.iv as Uint8Array<ArrayBuffer> }, key, sealed.data);
  } catch {
    throw new WrongSecretError();
  }
  return JSON.parse(new TextDecoder().decode(plain)) as T;
}
