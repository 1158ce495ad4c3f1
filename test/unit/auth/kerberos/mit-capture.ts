/**
 * A handshake captured from MIT krb5 1.20.1 (Debian 12 libgssapi-krb5-2) as the initiator against
 * this acceptor: a throwaway KDC for EXAMPLE.COM, `kinit alice`, then gss_init_sec_context for
 * HTTP@srv01.example.com with MUTUAL | SEQUENCE | CONF | INTEG and channel bindings whose
 * application data is "tls-server-end-point:expected"; the acceptor ran with randomBytes filling
 * 0x5A, so its subkey was 32 bytes of 0x5A. After the AP-REP, MIT made a gss_wrap_iov token
 * ([HEADER, DATA, PADDING], as pyspnego's wrap_winrm), a plain gss_wrap token and a gss_get_mic
 * token. Test data only; the keys are from a KDC that no longer exists.
 */

function hex(...chunks: string[]): Buffer {
  return Buffer.from(chunks.join(''), 'hex');
}

export const MIT_CAPTURE_TIME = new Date('2026-11-26T16:48:04.497Z');

/** HTTP/srv01.example.com@EXAMPLE.COM, kvno 2, aes256-cts-hmac-sha1-96, from the keytab. */
export const MIT_SERVICE_KEY = hex('b9e377489437b2d0b919644d27a3e9cc23b7403565466eab938b679a2268c67d');

export const MIT_CHANNEL_BINDINGS_APPLICATION_DATA = Buffer.from('tls-server-end-point:expected');

/** The GSS-framed AP-REQ from gss_init_sec_context. */
export const MIT_GSS_AP_REQ = hex(
  '608202d206092a864886f71201020201006e8202c1308202bda003020105a10302010ea20703050020000000a38201d5618201d1308201cda0030201',
  '05a10d1b0b4558414d504c452e434f4da2243022a003020103a11b30191b04485454501b1173727630312e6578616d706c652e636f6da382018f3082',
  '018ba003020112a103020102a282017d04820179d62fbb763695e7df0aaa2fbcd6a97168143bba47cbfdadef39b99af524240c960565f75282f9603e',
  'f64e84284bb9dc8ec1d25bd27695978502e29e82dda0754558bb757c08b9ab7a542b825be970be216a5173dbd141abb73c4518eea6f134c7c73c7bd8',
  '6e87bcc005f93451970c2ad456310a1f546ed23aacfc179173ede422296bf17a68c14c0626f095318f25126c3875bfd0e030d9095d5bca2b3a32c692',
  '467e9840a85b27a18698d379115abbe39b5fd74025cb9f6332a78e9f9184369c020ca5b0623844d2b376fc9d5d1cb5657f368fb04097c18fb9c4f028',
  '002e125b9b9ca28432ab0e41495e94624fad8a7390ab6e482d5ec99965b782b9dfcd5fb6c896f9711bb443006cb01b4d316a81b319ba477790c84ac9',
  '17853e41f36a063f8f4db3e9dcd228d39e3f2e931f101c33069a982312024a21560c500554df17d49ddc82136391321c9eb7704601980212706d4aab',
  '9e9c77b0cc88e13a66cd7c350e0e04d2090480e6287453dcb505d1d4e409c6bd9d3748e247a481ce3081cba003020112a281c30481c0fe2b359a8956',
  '9af8f7e67d81ef2b95d08ce99d49103f4ac6b1dc9daa4284411dbfd4f42d02ae631dbe0ce4c8ca41cc2acac66e690da21b64bdfd9be8e7829b375afa',
  '0f9df9037a58c3bd18c333149677547c13f892c903d101478d781237cd95924de322e4d28a524ebce04bf3efeb0e714059a2291684a30ef22739b997',
  '9b52596c6c77002073b9514beff10b8014f73bc48b509514e7b2c2072388ae043abd6ff9c83c596dd301784053f458ecc1424d9c463ce9edb4455dbd',
  '740838166ffb',
);

export const MIT_PLAINTEXT = Buffer.from('<s:Envelope>captured</s:Envelope>');

/** gss_wrap_iov header buffer (60 bytes: EC 0, RRC 28) and data buffer for MIT_PLAINTEXT. */
export const MIT_WRAP_IOV_HEADER = hex(
  '050406ff0000001c00000000140dac49b10e16102467c3d2ca6adb7579b087661bdbfc75d6b545bcbbf1524161ed5ac1f37f8711fad526789950a2e0',
);
export const MIT_WRAP_IOV_DATA = hex('e82880909fb77a7d4f6330f441067245b5b5611faa8d200eeff2f01b00a778ab0a');

/** gss_wrap of MIT_PLAINTEXT: one token, RRC 0. */
export const MIT_WRAP_TOKEN = hex(
  '050406ff0000000000000000140dac4a4721de5533c3e6ddb45df3d2f0e4bc60a68dc35f7f27d949c323ce17c4d311435cb1cc2db3d917829effd59a',
  '4632ffb5f82103dd2b03eb889300fff7c50e110691bb4cea36e54ddbf992dbc14f',
);

/** gss_get_mic over a DER MechTypeList [NTLM]. */
export const MIT_MECH_TYPES = hex('300c060a2b06010401823702020a');
export const MIT_MIC = hex('040404ffffffffff00000000140dac4baf6fa275e628a0c187b314f3');
