import { randomBytes } from 'node:crypto';

/** 192 random bits: far past guessing, and never derived from the order number or any order data. */
export const TRACKING_TOKEN_BYTES = 24;
const TOKEN_PATTERN = /^[A-Za-z0-9_-]{32}$/;

/** A public tracking token: URL-safe base64 of fresh CSPRNG bytes (32 characters). */
export const generateTrackingToken = (): string => randomBytes(TRACKING_TOKEN_BYTES).toString('base64url');

/** Cheap shape check before any lookup, so malformed tokens never reach the store. */
export const isWellFormedTrackingToken = (value: string): boolean => TOKEN_PATTERN.test(value);
